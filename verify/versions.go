package verify

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/org/secret-baker/baked"
)

// CheckVersion establishes which parameter version a baked ciphertext is, by comparing it with
// what SSM holds for that version, and checks that it is the version the spec selects.
const CheckVersion = "version"

// Reasons of version findings; test with errors.Is.
var (
	ErrNoVersion         = errors.New("the entry records no version")
	ErrVersionNotInSSM   = errors.New("the version is not in SSM")
	ErrOtherCiphertext   = errors.New("the ciphertext is not the one SSM holds for the entry's version")
	ErrOtherARN          = errors.New("the entry's ARN is not the parameter's ARN in this run's account and region")
	ErrUnselectedVersion = errors.New("not the version the spec's label selects")
)

// VersionReads returns the parameter selectors, each once, whose SSM answers (read without
// decryption) CheckVersions needs: NAME:VERSION of the version each declared entry of file
// records, and NAME:LABEL of each declared label.
func VersionReads(file baked.File, declared []Declared) []string {
	var reads []string
	seen := map[string]bool{}
	read := func(selector string) {
		if !seen[selector] {
			seen[selector] = true
			reads = append(reads, selector)
		}
	}
	for _, d := range declared {
		e, sel, ok := entryAndSelector(file, d)
		if !ok {
			continue
		}
		if e.Version > 0 {
			read(exact(sel.Name, e.Version))
		}
		if sel.Label != "" {
			read(sel.Name + ":" + sel.Label)
		}
	}
	return reads
}

// CheckVersions establishes which version of its parameter the ciphertext of each declared
// secret in file is. held is SSM's answer for each selector of VersionReads, missing the
// reason it had none for the others. The entry must hold the very ciphertext, byte for byte,
// that SSM holds for exactly the entry's NAME:VERSION, and the same ARN (partition, region,
// account and name: what this run's SSM answers), so that an older ciphertext under a newer
// version number, another version's ciphertext or an entry from another account or region is
// refused. The entry's version is then the version its ciphertext is, which Match compares
// with a pinned version; for a label, the entry must be the version the label points at now.
// An unpinned secret may be any version. Secrets missing from file, or declared with no valid
// selector, are Match's business. It returns the findings of each secret by name; none means
// the secret passed.
func CheckVersions(file baked.File, declared []Declared, held baked.File, missing map[string]error) map[string][]Finding {
	findings := map[string][]Finding{}
	for _, d := range declared {
		e, sel, ok := entryAndSelector(file, d)
		if !ok {
			continue
		}
		if fs := checkVersion(sel, e, held, missing); len(fs) > 0 {
			findings[d.Name] = fs
		}
	}
	return findings
}

// entryAndSelector returns the entry of d in file and its declared selector; ok is false when
// file has no entry for d or d's parameter is no valid selector.
func entryAndSelector(file baked.File, d Declared) (baked.Entry, baked.Selector, bool) {
	e, ok := file[d.Name]
	if !ok {
		return baked.Entry{}, baked.Selector{}, false
	}
	sel, err := baked.ParseSelector(d.Parameter)
	return e, sel, err == nil
}

// checkVersion checks the entry of a secret declared with sel against SSM's answers; missing
// says why SSM had none for a selector.
func checkVersion(sel baked.Selector, e baked.Entry, answers baked.File, missing map[string]error) []Finding {
	why := func(selector string) error {
		if err := missing[selector]; err != nil {
			return err
		}
		return errNotHeld
	}
	finding := func(reason error, format string, args ...any) Finding {
		return Finding{Check: CheckVersion, Reason: reason, Message: fmt.Sprintf(format, args...)}
	}
	if e.Version <= 0 {
		return []Finding{finding(ErrNoVersion, "the baked entry records no version, so which version its ciphertext is cannot be checked; bake the secret again")}
	}
	name, label := sel.Name, sel.Label
	v := e.Version
	held, ok := answers[exact(name, v)]
	if !ok {
		return []Finding{finding(ErrVersionNotInSSM, "SSM has no version %d of parameter %s to compare the ciphertext with (%v); bake the secret again", v, name, why(exact(name, v)))}
	}
	var fs []Finding
	if held.ARN != e.ARN {
		fs = append(fs, finding(ErrOtherARN, "the entry's ARN %s is not %s, the parameter's ARN in this run's account and region (%s); bake the secret again", e.ARN, held.ARN, arnDifference(e.ARN, held.ARN)))
	}
	if held.Ciphertext != e.Ciphertext {
		fs = append(fs, finding(ErrOtherCiphertext, "the ciphertext is not the one SSM holds for version %d of %s: it is another version's (rolled back) or was altered; bake the secret again", v, name))
	}
	if label != "" {
		labeled, ok := answers[name+":"+label]
		switch {
		case !ok:
			fs = append(fs, finding(ErrUnselectedVersion, "the spec selects label %s of %s, which SSM cannot find (%v)", label, name, why(name+":"+label)))
		case labeled.Version != v:
			fs = append(fs, finding(ErrUnselectedVersion, "the entry is version %d, but label %s of %s points at version %d; bake the secret again", v, label, name, labeled.Version))
		}
	}
	return fs
}

// errNotHeld is the reason for a selector SSM did not answer for.
var errNotHeld = errors.New("not found")

// exact is the selector of version v of parameter name.
func exact(name string, v int64) string { return name + ":" + strconv.FormatInt(v, 10) }

// arnParts names the fields of an ARN after "arn", in order.
var arnParts = []string{"partition", "service", "region", "account", "resource"}

// arnDifference names the first field in which two ARNs differ, with both values.
func arnDifference(got, want string) string {
	g, w := strings.SplitN(got, ":", 6), strings.SplitN(want, ":", 6)
	if len(g) != 6 || g[0] != "arn" {
		return "the entry's is no ARN"
	}
	for i, part := range arnParts {
		if g[i+1] != w[i+1] {
			return fmt.Sprintf("%s %s, want %s", part, g[i+1], w[i+1])
		}
	}
	return "they differ"
}
