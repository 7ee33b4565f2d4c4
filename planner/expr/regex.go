package expr

import (
	"regexp"
	"strings"

	"github.com/sluicedb/sluice/sql/sqlerr"
)

// PostgreSQL's regular expressions (advanced REs, "AREs") on Go's RE2.
//
// The two differ in their defaults and in a few escapes; pgRegex
// translates a pattern and its flags:
//   - PostgreSQL matches newline-insensitively by default: '.' and [^…]
//     match a newline, '^'/'$' anchor only at the ends of the string. RE2
//     needs (?s) for the first and gives the second by default.
//   - flags (the third or fourth argument, or (?…) at the pattern's start):
//     i/c case-insensitive/sensitive, n or m newline-sensitive ((?m), no
//     (?s)), p partial (neither), w inverse partial (both), s and t the
//     defaults, x expanded syntax (white space and #-comments outside
//     brackets dropped here), q the rest of the pattern is a literal,
//     e extended (ARE's superset is used), g global where the function
//     takes it. b (basic REs) answers 0A000.
//   - escapes: \y and \Y are RE2's \b and \B, \Z is \z; \m and \M (start
//     and end of a word) have no RE2 form and answer 0A000.
//
// RE2 has no back references or look-around: such a pattern fails to
// compile and answers 2201B, where PostgreSQL would run it.

// PgRegex compiles pattern under PostgreSQL flags; allowGlobal says
// whether g is accepted (regexp_replace, regexp_matches), and global
// reports whether it was given.
func PgRegex(pat, flags string, allowGlobal bool) (re *regexp.Regexp, global bool, err error) {
	// An embedded option set at the very start: (?flags).
	if strings.HasPrefix(pat, "(?") {
		if end := strings.IndexByte(pat, ')'); end > 2 && isRegexFlags(pat[2:end]) {
			flags = pat[2:end] + flags
			pat = pat[end+1:]
		}
	}
	fold, newline, partialDot, partialAnchor := false, false, false, false
	expanded, literal := false, false
	for _, f := range flags {
		switch f {
		case 'g':
			if !allowGlobal {
				return nil, false, sqlerr.New(sqlerr.InvalidParameterValue, "invalid regular expression option: \"%c\"", f)
			}
			global = true
		case 'i':
			fold = true
		case 'c':
			fold = false
		case 'n', 'm':
			newline, partialDot, partialAnchor = true, false, false
		case 'p':
			newline, partialDot, partialAnchor = false, true, false
		case 'w':
			newline, partialDot, partialAnchor = false, false, true
		case 's':
			newline, partialDot, partialAnchor = false, false, false
		case 'x':
			expanded = true
		case 't':
			expanded = false
		case 'q':
			literal = true
		case 'e':
		case 'b':
			return nil, false, sqlerr.New(sqlerr.FeatureNotSupported, "basic regular expressions (flag \"b\") are not supported")
		default:
			return nil, false, sqlerr.New(sqlerr.InvalidParameterValue, "invalid regular expression option: \"%c\"", f)
		}
	}
	var src string
	if literal {
		src = regexp.QuoteMeta(pat)
	} else {
		if expanded {
			pat = stripExpanded(pat)
		}
		if src, err = translateEscapes(pat); err != nil {
			return nil, false, err
		}
	}
	var prefix strings.Builder
	prefix.WriteString("(?")
	if fold {
		prefix.WriteByte('i')
	}
	// '.' and [^…] cross newlines unless newline-sensitive or partial.
	if !newline && !partialDot {
		prefix.WriteByte('s')
	}
	// '^' and '$' match at line breaks when newline-sensitive or inverse partial.
	if newline || partialAnchor {
		prefix.WriteByte('m')
	}
	p := prefix.String()
	if p == "(?" {
		p = ""
	} else {
		p += ")"
	}
	re, cerr := regexp.Compile(p + src)
	if cerr != nil {
		return nil, false, sqlerr.New(sqlerr.InvalidRegularExpression, "invalid regular expression: %v", cerr)
	}
	return re, global, nil
}

func isRegexFlags(s string) bool {
	for _, c := range s {
		if !strings.ContainsRune("bceimnpqstwx", c) {
			return false
		}
	}
	return true
}

// stripExpanded drops white space and #-comments outside bracket
// expressions, as PostgreSQL's expanded syntax (x) does; a backslash keeps
// the character after it.
func stripExpanded(pat string) string {
	var b strings.Builder
	inBracket := false
	for i := 0; i < len(pat); i++ {
		c := pat[i]
		switch {
		case inBracket:
			b.WriteByte(c)
			if c == ']' {
				inBracket = false
			}
		case c == '\\' && i+1 < len(pat):
			if pat[i+1] == ' ' || pat[i+1] == '\t' || pat[i+1] == '\n' || pat[i+1] == '#' {
				b.WriteByte(pat[i+1]) // an escaped blank or # is itself (RE2 would reject "\ ")
			} else {
				b.WriteByte(c)
				b.WriteByte(pat[i+1])
			}
			i++
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
		case c == '#':
			for i+1 < len(pat) && pat[i+1] != '\n' {
				i++
			}
		case c == '[':
			b.WriteByte(c)
			inBracket = true
			// A ']' right after '[' or '[^' is a member, not the end.
			if i+1 < len(pat) && pat[i+1] == '^' {
				b.WriteByte('^')
				i++
			}
			if i+1 < len(pat) && pat[i+1] == ']' {
				b.WriteByte(']')
				i++
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// translateEscapes rewrites ARE escapes RE2 spells differently.
func translateEscapes(pat string) (string, error) {
	if !strings.Contains(pat, `\`) {
		return pat, nil
	}
	var b strings.Builder
	for i := 0; i < len(pat); i++ {
		c := pat[i]
		if c != '\\' || i+1 == len(pat) {
			b.WriteByte(c)
			continue
		}
		i++
		switch pat[i] {
		case 'y':
			b.WriteString(`\b`)
		case 'Y':
			b.WriteString(`\B`)
		case 'Z':
			b.WriteString(`\z`)
		case 'm', 'M':
			return "", sqlerr.New(sqlerr.FeatureNotSupported, "regular expression escape \\%c is not supported", pat[i])
		default:
			b.WriteByte('\\')
			b.WriteByte(pat[i])
		}
	}
	return b.String(), nil
}

// regexSubstring is substring(s FROM re): the text the first parenthesized
// sub-expression matched if the pattern has one, else the whole match;
// NULL when nothing matches (or the group took no part).
func regexSubstring(re *regexp.Regexp, s string) any {
	m := re.FindStringSubmatchIndex(s)
	if m == nil {
		return nil
	}
	if re.NumSubexp() > 0 {
		m = m[2:]
	}
	if m[0] < 0 {
		return nil
	}
	return s[m[0]:m[1]]
}

// similarToRegex converts a SIMILAR TO pattern to a regular expression
// anchored at both ends, as PostgreSQL's similar_to_escape does: % and _
// are .* and ., the escape character makes the next character literal,
// parentheses do not capture, and characters special to regular
// expressions but not to SIMILAR TO are escaped. lazy makes % match as
// little as it can (the part before substring's first marker).
func similarToRegex(pat, esc string, lazy bool) (string, error) {
	body, err := similarBody(pat, esc, lazy)
	if err != nil {
		return "", err
	}
	return "^(?:" + body + ")$", nil
}

func similarBody(pat, esc string, lazy bool) (string, error) {
	var escRune rune = -1
	switch n := len([]rune(esc)); n {
	case 0:
	case 1:
		escRune = []rune(esc)[0]
	default:
		return "", sqlerr.New(sqlerr.InvalidEscapeSequence, "invalid escape string").
			WithHint("Escape string must be empty or one character.")
	}
	var b strings.Builder
	rs := []rune(pat)
	inBracket := false
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch {
		case c == escRune:
			if i+1 == len(rs) {
				return "", sqlerr.New(sqlerr.InvalidEscapeSequence, "invalid escape string").
					WithHint("Escape string must be empty or one character.")
			}
			i++
			b.WriteByte('\\') // as PostgreSQL: a backslash before the escaped character
			b.WriteRune(rs[i])
		case inBracket:
			b.WriteRune(c)
			if c == ']' {
				inBracket = false
			}
		case c == '[':
			b.WriteRune(c)
			inBracket = true
		case c == '%':
			if lazy {
				b.WriteString(".*?")
			} else {
				b.WriteString(".*")
			}
		case c == '_':
			b.WriteByte('.')
		case c == '(':
			b.WriteString("(?:")
		case c == '.' || c == '^' || c == '$' || c == '\\':
			b.WriteByte('\\')
			b.WriteRune(c)
		default:
			b.WriteRune(c)
		}
	}
	return b.String(), nil
}

// similarSubstringRegex is the pattern of substring(s SIMILAR p ESCAPE e):
// the part between the two escape-double-quote markers is captured, the
// part before them matches as little as it can. Without markers the whole
// pattern is the result.
func similarSubstringRegex(pat, esc string) (*regexp.Regexp, error) {
	marker := esc + `"`
	var src string
	parts := strings.Split(pat, marker)
	switch {
	case esc == "" || len(parts) == 1:
		body, err := similarBody(pat, esc, false)
		if err != nil {
			return nil, err
		}
		src = "^(" + body + ")$"
	case len(parts) == 3:
		var bodies [3]string
		for i, p := range parts {
			var err error
			if bodies[i], err = similarBody(p, esc, i == 0); err != nil {
				return nil, err
			}
		}
		src = "^(?:" + bodies[0] + ")(" + bodies[1] + ")(?:" + bodies[2] + ")$"
	default:
		return nil, sqlerr.New(sqlerr.InvalidRegularExpression, "SQL regular expression may not contain more than two escape-double-quote separators")
	}
	re, err := regexp.Compile("(?s)" + src)
	if err != nil {
		return nil, sqlerr.New(sqlerr.InvalidRegularExpression, "invalid regular expression: %v", err)
	}
	return re, nil
}
