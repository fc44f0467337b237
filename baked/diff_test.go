package baked

import (
	"reflect"
	"testing"
)

func TestDiff(t *testing.T) {
	t.Parallel()
	entry := func(param string, version int64, ciphertext string) Entry {
		return Entry{ARN: "arn:aws:ssm:us-east-1:1:parameter" + param, Ciphertext: ciphertext, Parameter: param, Version: version}
	}
	a1, a2 := entry("/a", 1, "AQa1"), entry("/a", 2, "AQa2")
	b3, c1, d1 := entry("/b", 3, "AQb3"), entry("/c", 1, "AQc1"), entry("/d", 1, "AQd1")
	moved := entry("/moved", 1, "AQd1")
	unversioned, rotated := Entry{ARN: a1.ARN, Ciphertext: "AQx"}, Entry{ARN: a1.ARN, Ciphertext: "AQy"}
	secret := func(version, jsonKey, ciphertext string) Entry {
		const arn = "arn:aws:secretsmanager:us-east-1:1:secret:s-AbCdEf"
		return Entry{ARN: arn, Ciphertext: ciphertext, SecretID: "s", VersionID: version, JSONKey: jsonKey, Context: SealedContext(arn, version, jsonKey)}
	}
	s1, resealed, s2 := secret("v1", "", "AQs1"), secret("v1", "", "AQs1again"), secret("v2", "", "AQs2")
	user, password := secret("v1", "user", "AQu"), secret("v1", "password", "AQp")
	ssmAtSecretARN := Entry{ARN: s1.ARN, Ciphertext: s1.Ciphertext}
	tests := []struct {
		name           string
		previous, next File
		want           []Change
	}{
		{name: "both empty", want: []Change{}},
		{
			name:     "every kind, in name order",
			previous: File{"B": b3, "A": a1, "C": c1, "D": d1},
			next:     File{"A": a2, "B": b3, "D": moved, "E": c1},
			want: []Change{
				{Name: "A", Kind: Updated, Before: a1, After: a2},
				{Name: "B", Kind: Unchanged, Before: b3, After: b3},
				{Name: "C", Kind: Removed, Before: c1},
				{Name: "D", Kind: Updated, Before: d1, After: moved},
				{Name: "E", Kind: Added, After: c1},
			},
		},
		{
			name:     "files without versions compare by ciphertext",
			previous: File{"A": unversioned, "B": unversioned},
			next:     File{"A": unversioned, "B": rotated},
			want: []Change{
				{Name: "A", Kind: Unchanged, Before: unversioned, After: unversioned},
				{Name: "B", Kind: Updated, Before: unversioned, After: rotated},
			},
		},
		{
			name:     "Secrets Manager entries compare by ARN, version id and JSON key, not by ciphertext",
			previous: File{"A": s1, "B": s1, "C": user, "D": s1},
			next:     File{"A": resealed, "B": s2, "C": password, "D": ssmAtSecretARN},
			want: []Change{
				{Name: "A", Kind: Unchanged, Before: s1, After: resealed},
				{Name: "B", Kind: Updated, Before: s1, After: s2},
				{Name: "C", Kind: Updated, Before: user, After: password},
				{Name: "D", Kind: Updated, Before: s1, After: ssmAtSecretARN},
			},
		},
		{
			name: "no previous file",
			next: File{"A": a1},
			want: []Change{{Name: "A", Kind: Added, After: a1}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := Diff(tc.previous, tc.next); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Diff() =\n%+v\nwant\n%+v", got, tc.want)
			}
		})
	}
}
