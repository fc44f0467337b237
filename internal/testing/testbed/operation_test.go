package testbed

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestOperation(t *testing.T) {
	t.Parallel()
	const ssmAuth = "AWS4-HMAC-SHA256 Credential=AKIDSSM/20260101/eu-west-1/ssm/aws4_request, SignedHeaders=host, Signature=abc"
	const smAuth = "AWS4-HMAC-SHA256 Credential=AKIDSM/20260101/eu-west-1/secretsmanager/aws4_request, SignedHeaders=host, Signature=abc"
	const stsAuth = "AWS4-HMAC-SHA256 Credential=AKIDSTS/20260101/eu-west-1/sts/aws4_request, SignedHeaders=host, Signature=abc"
	const iamAuth = "AWS4-HMAC-SHA256 Credential=ASIAIAM/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=abc"
	tests := []struct {
		name          string
		authorization string
		target        string
		body          string
		wantOp        string
		wantKey       string
	}{
		{name: "json signed", authorization: ssmAuth, target: "AmazonSSM.GetParameters", body: "{}", wantOp: "ssm:GetParameters", wantKey: "AKIDSSM"},
		{name: "json secrets manager", authorization: smAuth, target: "secretsmanager.GetSecretValue", body: "{}", wantOp: "secretsmanager:GetSecretValue", wantKey: "AKIDSM"},
		{name: "query signed", authorization: stsAuth, body: "Action=GetCallerIdentity&Version=2011-06-15", wantOp: "sts:GetCallerIdentity", wantKey: "AKIDSTS"},
		{name: "query assume role", authorization: stsAuth, body: "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fci&Version=2011-06-15", wantOp: "sts:AssumeRole", wantKey: "AKIDSTS"},
		{name: "query iam", authorization: iamAuth, body: "Action=CreateRole&RoleName=ci&Version=2010-05-08", wantOp: "iam:CreateRole", wantKey: "ASIAIAM"},
		{name: "query unsigned", body: "Action=AssumeRoleWithWebIdentity&Version=2011-06-15", wantOp: "sts:AssumeRoleWithWebIdentity"},
		{name: "malformed credential", authorization: "AWS4-HMAC-SHA256 Credential=AKID/only", target: "TrentService.Decrypt", wantOp: ":Decrypt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := http.NewRequest(http.MethodPost, "http://127.0.0.1/", strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			r.Header.Set("Authorization", tt.authorization)
			if tt.target != "" {
				r.Header.Set("X-Amz-Target", tt.target)
			}

			op, err := operation(r)
			if err != nil {
				t.Fatal(err)
			}
			if op != tt.wantOp {
				t.Errorf("operation() = %q, want %q", op, tt.wantOp)
			}
			if key, _ := credential(tt.authorization); key != tt.wantKey {
				t.Errorf("credential() access key = %q, want %q", key, tt.wantKey)
			}
			rest, err := io.ReadAll(r.Body)
			if err != nil {
				t.Fatal(err)
			}
			if string(rest) != tt.body {
				t.Errorf("body after operation() = %q, want %q", rest, tt.body)
			}
		})
	}
}
