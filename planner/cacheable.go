package planner

import (
	"reflect"
	"unsafe"

	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
)

var (
	sourceTableType = reflect.TypeOf((*plan.SourceTable)(nil))
	memTableType    = reflect.TypeOf((*plan.MemTable)(nil))
	fnExprType      = reflect.TypeOf((*expr.FnExpr)(nil))
)

// planInputs is what a plan reads, found once per plan.
type planInputs struct {
	sources  []*plan.SourceTable
	impure   bool // calls a function that is not immutable
	temp     bool // scans a session's temporary table
	volatile bool // scans a source whose data changes without a version
}

func (p *Plan) inputs() *planInputs {
	p.inputsOnce.Do(func() { p.in = findInputs(p.Root) })
	return p.in
}

// CacheInputs reports whether the plan's result depends only on its
// parameters, the session settings a caller keys on, and the data of the
// source tables it returns (whose Provider.Version() identifies that data):
// every function it calls is immutable, and it reads no session-local
// (temporary) table or volatile system view. ok is also false when it
// reads no source table at all (nothing worth caching).
func (p *Plan) CacheInputs() ([]*plan.SourceTable, bool) {
	in := p.inputs()
	return in.sources, !in.impure && !in.temp && !in.volatile && len(in.sources) > 0
}

// ReadsTemp reports whether the plan scans a session's temporary table.
func (p *Plan) ReadsTemp() bool { return p.inputs().temp }

// findInputs walks a plan tree (operators, expressions, sub-plans) by
// reflection, matching values by type, so every operator and expression
// kind (sub-plans inside expressions included) is covered without a case.
func findInputs(root plan.Node) *planInputs {
	in := &planInputs{}
	seen := map[uintptr]bool{}
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if v.IsNil() || seen[v.Pointer()] {
				return
			}
			seen[v.Pointer()] = true
			switch v.Type() {
			case sourceTableType:
				st := (*plan.SourceTable)(unsafe.Pointer(v.Pointer()))
				in.sources = append(in.sources, st)
				in.volatile = in.volatile || st.Volatile
				return
			case memTableType:
				in.temp = true
				return
			case fnExprType:
				if !(*expr.FnExpr)(unsafe.Pointer(v.Pointer())).Pure {
					in.impure = true
				}
			}
			walk(v.Elem())
		case reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				walk(v.Field(i))
			}
		case reflect.Slice, reflect.Array:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
			}
		case reflect.Map:
			it := v.MapRange()
			for it.Next() {
				walk(it.Value())
			}
		}
	}
	walk(reflect.ValueOf(root))
	return in
}
