package baked_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/org/secret-baker/baked"
)

func TestOpen(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		content string // "" for no file
		wantErr error
	}{
		{name: "valid", content: `{"A": {"arn": "arn:aws:ssm:eu-west-1:1:parameter/a", "ciphertext": "AQICAHg="}}`},
		{name: "missing", wantErr: fs.ErrNotExist},
		{name: "not JSON", content: `{"A": nope}`, wantErr: baked.ErrMalformed},
		{name: "ciphertext not base64", content: `{"A": {"arn": "arn:aws:ssm:eu-west-1:1:parameter/a", "ciphertext": "kms:alias/x:AQ"}}`, wantErr: baked.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), baked.DefaultName)
			if tt.content != "" {
				if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			_, err := baked.Open(path, nil)
			if tt.wantErr == nil && err != nil || !errors.Is(err, tt.wantErr) {
				t.Errorf("Open() = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestGetUnknownSecret(t *testing.T) {
	t.Parallel()
	s, err := baked.New(baked.File{"A": {ARN: "arn:aws:ssm:eu-west-1:1:parameter/a", Ciphertext: "AQICAHg="}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"B", "a", ""} {
		if _, err := s.Get(context.Background(), name); !errors.Is(err, baked.ErrUnknownSecret) {
			t.Errorf("Get(%q) = %v, want ErrUnknownSecret", name, err)
		}
		if _, err := s.Bytes(context.Background(), name); !errors.Is(err, baked.ErrUnknownSecret) {
			t.Errorf("Bytes(%q) = %v, want ErrUnknownSecret", name, err)
		}
	}
}

func TestDefaultPath(t *testing.T) {
	tests := []struct {
		taskRoot string
		want     string
	}{
		{taskRoot: "/var/task", want: "/var/task/secret-baker-secrets.json"},
		{taskRoot: "", want: "secret-baker-secrets.json"},
	}
	for _, tt := range tests {
		t.Run(tt.taskRoot, func(t *testing.T) {
			t.Setenv("LAMBDA_TASK_ROOT", tt.taskRoot)
			if got := baked.DefaultPath(); got != tt.want {
				t.Errorf("DefaultPath() = %q, want %q", got, tt.want)
			}
		})
	}
}
