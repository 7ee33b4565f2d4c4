package plan

// The operators a plan is made of. Each is a plain value; execution lives
// in the exec types (filterNodeExec …) that openOp converts it to.

func (OneRow) planNode()           {}
func (*AggNode) planNode()         {}
func (*DistinctNode) planNode()    {}
func (*FilterNode) planNode()      {}
func (*JoinNode) planNode()        {}
func (*LateralJoinNode) planNode() {}
func (*LimitNode) planNode()       {}
func (*MemScan) planNode()         {}
func (*OrdinalityNode) planNode()  {}
func (*ProjectNode) planNode()     {}
func (*ProjectSetNode) planNode()  {}
func (*SampleNode) planNode()      {}
func (*SeriesNode) planNode()      {}
func (*SetOpNode) planNode()       {}
func (*SortNode) planNode()        {}
func (*SourceScan) planNode()      {}
func (*SubscriptsNode) planNode()  {}
func (*UnnestNode) planNode()      {}
func (*ValuesNode) planNode()      {}
func (*WindowNode) planNode()      {}
func (*CteScan) planNode()         {}
func (*TopNScan) planNode()        {}
func (*VecAggNode) planNode()      {}
func (*VecFilterScan) planNode()   {}
