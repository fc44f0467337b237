package bake

// BatchSize is the most names SSM GetParameters takes in one call.
const BatchSize = 10

// ref is one distinct parameter selector and the secrets that declare it.
type ref struct {
	selector string
	base     string
	secrets  []Secret
}

// batches groups refs into GetParameters calls of at most BatchSize names, so
// that no call asks for the same parameter twice: SSM answers with the
// parameter name, and one name per call keeps every answer unambiguous.
func batches(refs []*ref) [][]*ref {
	var out [][]*ref
	for _, r := range refs {
		placed := false
		for i, b := range out {
			if len(b) < BatchSize && !hasBase(b, r.base) {
				out[i] = append(b, r)
				placed = true
				break
			}
		}
		if !placed {
			out = append(out, []*ref{r})
		}
	}
	return out
}

func hasBase(b []*ref, base string) bool {
	for _, r := range b {
		if r.base == base {
			return true
		}
	}
	return false
}
