package bad

func use(b *box) int { return b.get() + first + helper }

func useNamed() string { return named{}.string() }
