package seal

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestCheckReadsBySpecID: an entry whose ARN names another account's secret
// of the declared name is refused, because Check reads the secret by the
// spec's id, not by the file's ARN.
func TestCheckReadsBySpecID(t *testing.T) {
	t.Parallel()
	sm := &fakeSM{values: map[string]string{v1: "value"}, current: v1, key: "arn:aws:kms:us-east-1:123456789012:key/own"}
	secret := Secret{Name: "DB", SecretID: "prod/db", VersionStage: "AWSCURRENT"}
	file, err := New(sm, &fakeKMS{}).Seal(context.Background(), []Secret{secret})
	if err != nil {
		t.Fatal(err)
	}
	own := file["DB"]
	other := own
	other.ARN = strings.Replace(own.ARN, ":123456789012:", ":999999999999:", 1)
	tests := []struct {
		name  string
		entry Sealed
		want  error
	}{
		{"the declared secret", Sealed{Secret: secret, Entry: own}, nil},
		{"another account's secret of the name", Sealed{Secret: secret, Entry: other}, ErrOtherARN},
	}
	for _, tt := range tests {
		refused, err := New(sm, &fakeKMS{}).Check(context.Background(), []Sealed{tt.entry}, sm.key)
		if err != nil {
			t.Fatal(err)
		}
		if got := refused["DB"]; !errors.Is(got, tt.want) || (tt.want == nil) != (got == nil) {
			t.Errorf("%s: refused %v, want %v", tt.name, got, tt.want)
		}
	}
}
