package ship_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/testing/testbed"
)

// fakeIMDS serves the instance role's credentials the IMDSv2 way only: every
// metadata request must carry a token from PUT /latest/api/token.
type fakeIMDS struct {
	mu        sync.Mutex
	requests  []string // "METHOD path", in order
	tokenless int      // metadata requests without a valid token
}

const (
	imdsToken = "imds-session-token"
	imdsRole  = "self-hosted-runner"
)

func (f *fakeIMDS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r.Method+" "+r.URL.Path)
	f.mu.Unlock()
	if r.Method == http.MethodPut && r.URL.Path == "/latest/api/token" {
		if r.Header.Get("X-Aws-Ec2-Metadata-Token-Ttl-Seconds") == "" {
			http.Error(w, "missing TTL", http.StatusBadRequest)
			return
		}
		w.Header().Set("X-Aws-Ec2-Metadata-Token-Ttl-Seconds", r.Header.Get("X-Aws-Ec2-Metadata-Token-Ttl-Seconds"))
		w.Write([]byte(imdsToken))
		return
	}
	if r.Header.Get("X-Aws-Ec2-Metadata-Token") != imdsToken {
		f.mu.Lock()
		f.tokenless++
		f.mu.Unlock()
		http.Error(w, "IMDSv2 token required", http.StatusUnauthorized)
		return
	}
	switch r.URL.Path {
	case "/latest/meta-data/iam/security-credentials/":
		w.Write([]byte(imdsRole))
	case "/latest/meta-data/iam/security-credentials/" + imdsRole:
		json.NewEncoder(w).Encode(map[string]string{
			"Code":            "Success",
			"Type":            "AWS-HMAC",
			"AccessKeyId":     "testing",
			"SecretAccessKey": "testing",
			"Token":           "instance-role-session",
			"Expiration":      time.Now().Add(time.Hour).UTC().Format(time.RFC3339),
		})
	default:
		http.NotFound(w, r)
	}
}

// TestInstanceRoleThroughIMDSv2 is a self-hosted runner on EC2 without
// role-to-assume: the step takes the instance role's credentials from the
// instance metadata service, asking for an IMDSv2 session token first, and
// bakes with them.
func TestInstanceRoleThroughIMDSv2(t *testing.T) {
	t.Parallel()
	emu := testbed.Shared(t)
	imds := &fakeIMDS{}
	server := httptest.NewServer(imds)
	t.Cleanup(server.Close)

	p := emu.Proxy(t)
	steps := newStepRunner(t, p)
	// No credentials in the environment, and the metadata service enabled.
	steps.env = func(env []string) []string {
		var out []string
		for _, kv := range env {
			name, _, _ := strings.Cut(kv, "=")
			switch name {
			case "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_EC2_METADATA_DISABLED":
				continue
			}
			out = append(out, kv)
		}
		return append(out, "AWS_EC2_METADATA_SERVICE_ENDPOINT="+server.URL)
	}
	secrets := inlineSecrets(t, emu, map[string]string{"API_KEY": "api-këy"})
	outputs := steps.run(t, t.TempDir(), map[string]string{"secrets": secrets})

	if outputs["file"] != baked.DefaultName || p.Calls("ssm:GetParameters") != 1 {
		t.Errorf("outputs %v after %d GetParameters calls, want a baked file from one", outputs, p.Calls("ssm:GetParameters"))
	}
	imds.mu.Lock()
	defer imds.mu.Unlock()
	if len(imds.requests) == 0 || imds.requests[0] != "PUT /latest/api/token" {
		t.Errorf("metadata requests %v, want an IMDSv2 token first", imds.requests)
	}
	if imds.tokenless != 0 {
		t.Errorf("%d metadata requests without the IMDSv2 token: %v", imds.tokenless, imds.requests)
	}
}
