package bake

// BatchSize is the most names SSM GetParameters takes in one call.
const BatchSize = 10

// ref is one distinct parameter selector and the secrets that declare it.
type ref struct {
	selector string
	secrets  []Secret
}

// batches groups refs, which are distinct selectors, into GetParameters calls
// of at most BatchSize names, in order. One call may ask for a parameter
// under several selectors ("NAME" and "NAME:LABEL"): SSM answers each with
// the Selector it was asked for, so answers stay unambiguous, and N distinct
// selectors cost ⌈N/BatchSize⌉ calls.
func batches(refs []*ref) [][]*ref {
	var out [][]*ref
	for len(refs) > BatchSize {
		out = append(out, refs[:BatchSize:BatchSize])
		refs = refs[BatchSize:]
	}
	if len(refs) > 0 {
		out = append(out, refs)
	}
	return out
}
