package spec

import (
	"strings"
	"testing"
)

func TestSecretsManagerSources(t *testing.T) {
	t.Parallel()
	const id = "1f7e5a3c-0000-4d2b-9a7e-123456789abc"
	tests := []struct {
		name, spec string
		want       *SecretsManager
		wantErr    string
	}{
		{name: "secret-id", spec: "secrets:\n  DB: {secret-id: prod/db}\n", want: &SecretsManager{SecretID: "prod/db", VersionStage: DefaultStage}},
		{name: "every key", spec: "secrets:\n  DB:\n    secret-id: arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf\n    version-stage: AWSPENDING\n    version-id: " + id + "\n    json-key: password\n",
			want: &SecretsManager{SecretID: "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf", VersionStage: "AWSPENDING", StageDeclared: true, VersionID: id, JSONKey: "password"}},
		{name: "reference form, short", spec: "secrets:\n  DB: /aws/reference/secretsmanager/prod/db\n", want: &SecretsManager{SecretID: "prod/db", VersionStage: DefaultStage}},
		{name: "reference form with json-key", spec: "secrets:\n  DB: {path: /aws/reference/secretsmanager/prod/db, json-key: password}\n", want: &SecretsManager{SecretID: "prod/db", VersionStage: DefaultStage, JSONKey: "password"}},
		{name: "list form", spec: "secrets:\n  - {name: DB, secret-id: prod/db}\n", want: &SecretsManager{SecretID: "prod/db", VersionStage: DefaultStage}},
		{name: "ssm parameter", spec: "secrets:\n  DB: /prod/db\n"},
		{name: "path and secret-id", spec: "secrets:\n  DB: {path: /prod/db, secret-id: prod/db}\n", wantErr: `secret "DB" names both a path and a secret-id`},
		{name: "json-key alone", spec: "secrets:\n  DB: {path: /prod/db, json-key: password}\n", wantErr: "has version-stage, version-id or json-key but no secret-id"},
		{name: "invalid secret-id, unquoted", spec: "secrets:\n  DB: {secret-id: \"hunter2 pw!\"}\n", wantErr: "spec.yml:2:19: secret-id of secret \"DB\" is not a valid Secrets Manager secret name or ARN"},
		{name: "invalid json-key, unquoted", spec: "secrets:\n  DB: {secret-id: prod/db, json-key: \"hunter2 pw!\"}\n", wantErr: "json-key of secret \"DB\" is not a valid JSON key"},
		{name: "invalid version id", spec: "secrets:\n  DB: {secret-id: prod/db, version-id: short}\n", wantErr: "version-id of secret \"DB\" is not a valid version id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sp, err := Parse("spec.yml", []byte(tt.spec), Options{})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || strings.Contains(err.Error(), "hunter2") {
					t.Fatalf("Parse() = %v, want %q, unquoted", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "no secret-id") && !strings.Contains(tt.wantErr, "no secret-id") {
					t.Errorf("Parse() = %v, with a second error claiming no secret-id", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := sp.Secrets[0]
			switch {
			case tt.want == nil && got.SecretsManager != nil:
				t.Errorf("SecretsManager = %+v, want an SSM parameter", *got.SecretsManager)
			case tt.want != nil && (got.SecretsManager == nil || *got.SecretsManager != *tt.want || got.Parameter != ""):
				t.Errorf("secret = %+v (%+v), want %+v and no parameter", got, got.SecretsManager, *tt.want)
			}
		})
	}
}
