package report

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/org/secret-baker/bake"
	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/drift"
)

var (
	summaryNow = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	setInJune  = time.Date(2026, 6, 2, 7, 30, 0, 0, time.UTC)
	setInNov   = time.Date(2026, 11, 28, 16, 5, 0, 0, time.UTC)
)

func TestDriftSummaryGolden(t *testing.T) {
	t.Parallel()
	results := []drift.Result{
		{Name: "API_TOKEN", Parameter: "/prod/api/token", Selector: baked.Selector{Name: "/prod/api/token"}, Baked: 3, BakedSet: setInJune, Current: 4, CurrentSet: setInNov, Stale: true},
		{Name: "DB_PASSWORD", Parameter: "/prod/db/password:live", Selector: baked.Selector{Name: "/prod/db/password", Label: "live"}, Baked: 7, BakedSet: setInJune, Current: 9, CurrentSet: setInNov, Stale: true},
		{Name: "GONE", Parameter: "/prod/gone", Selector: baked.Selector{Name: "/prod/gone"}, Baked: 2, BakedSet: setInJune, Problem: bake.ErrNotFound},
		{Name: "PLAIN", Parameter: "/prod/plain", Selector: baked.Selector{Name: "/prod/plain"}, Baked: 1, BakedSet: setInJune, Problem: fmt.Errorf("%w: it is a String parameter", bake.ErrNotSecureString)},
		{Name: "SIGNING_KEY", Parameter: "/prod/signing:2", Selector: baked.Selector{Name: "/prod/signing", Version: 2}, Baked: 2, BakedSet: setInJune, Current: 5, CurrentSet: setInNov},
		{Name: "WEBHOOK|<b>", Parameter: "/prod/webhook", Selector: baked.Selector{Name: "/prod/webhook"}, Baked: 1, BakedSet: setInNov, Current: 1, CurrentSet: setInNov},
		{Name: "LEGACY", Problem: drift.ErrNotRecorded},
	}
	checkGolden(t, "drift.summary.md", driftMarkdown("deployed/secret-baker-secrets.json", results, summaryNow))
	checkGolden(t, "drift-current.summary.md", driftMarkdown("secret-baker-secrets.json", results[4:6], summaryNow))
}

func TestDeployDiffSummaryGolden(t *testing.T) {
	t.Parallel()
	entry := func(param string, version int64) baked.Entry {
		name, _, _ := strings.Cut(param, ":")
		return baked.Entry{ARN: "arn:aws:ssm:eu-west-1:123456789012:parameter" + name, Ciphertext: fmt.Sprintf("AQ%s%d", name, version), Parameter: param, Version: version}
	}
	previous := baked.File{
		"API_TOKEN":   entry("/prod/api/token", 3),
		"DB_PASSWORD": entry("/prod/db/password:live", 7),
		"OLD_KEY":     entry("/prod/old-key", 12),
		"SIGNING_KEY": entry("/prod/signing:2", 2),
		"WEBHOOK":     entry("/prod/webhook", 1),
	}
	next := baked.File{
		"API_TOKEN":   entry("/prod/api/token", 4),
		"DB_PASSWORD": entry("/prod/db/password:live", 9),
		"NEW_SECRET":  entry("/prod/new", 1),
		"SIGNING_KEY": entry("/prod/signing:2", 2),
		"WEBHOOK":     entry("/prod/hooks/webhook", 1),
	}
	checkGolden(t, "deploy-diff.summary.md", deployDiffMarkdown("dist/secret-baker-secrets.json", baked.Diff(previous, next)))

	plugin := baked.File{"API_TOKEN": {ARN: previous["API_TOKEN"].ARN, Ciphertext: "AQold"}}
	checkGolden(t, "deploy-diff-unversioned.summary.md", deployDiffMarkdown("secret-baker-secrets.json", baked.Diff(plugin, next)))

	_, err := baked.Parse([]byte(`{"A": {"arn": "x"}}`))
	if !errors.Is(err, baked.ErrMalformed) {
		t.Fatalf("Parse() = %v, want ErrMalformed", err)
	}
	checkGolden(t, "deploy-diff-invalid.summary.md", previousFileNote("secret-baker-secrets.json", err))
}
