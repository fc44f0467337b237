package testbed

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// operation names the AWS operation of r as "<service>:<Action>", e.g. "ssm:GetParameters".
// The service comes from the SigV4 credential scope; the action from X-Amz-Target for JSON
// protocols (SSM, KMS, Secrets Manager: "secretsmanager.GetSecretValue" is
// "secretsmanager:GetSecretValue") or from the form field Action for the query protocol (STS,
// IAM), whose body is read and put back. An unsigned query request is taken to be STS, the only
// service with unsigned actions here (AssumeRoleWithWebIdentity).
func operation(r *http.Request) (string, error) {
	_, service := credential(r.Header.Get("Authorization"))
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		_, action, _ := strings.Cut(target, ".")
		return service + ":" + action, nil
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return "", fmt.Errorf("failed to read request body: %w", err)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return "", fmt.Errorf("failed to parse request form: %w", err)
	}
	if service == "" {
		service = "sts"
	}
	return service + ":" + form.Get("Action"), nil
}

// credential returns the access key id and service of the Credential=AKID/date/region/service/
// aws4_request part of a SigV4 Authorization header, or empty strings for any other header.
func credential(authorization string) (accessKey, service string) {
	_, rest, ok := strings.Cut(authorization, "Credential=")
	if !ok {
		return "", ""
	}
	scope, _, _ := strings.Cut(rest, ",")
	parts := strings.Split(scope, "/")
	if len(parts) != 5 {
		return "", ""
	}
	return parts[0], parts[3]
}
