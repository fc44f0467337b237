package verify

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/smithy-go"

	"github.com/org/secret-baker/baked"
)

// ssmAPI is the part of the SSM client that verify uses: to tell which key a parameter is
// encrypted with when KMS refuses its Decrypt.
type ssmAPI interface {
	DescribeParameters(ctx context.Context, in *ssm.DescribeParametersInput, opts ...func(*ssm.Options)) (*ssm.DescribeParametersOutput, error)
}

// WithSSM sets the SSM client, an *ssm.Client, that explains refused Decrypts: one
// DescribeParameters call for up to 50 refused secrets names the key of each, so that a secret
// under an AWS managed key or another key than the required one is reported as such. Without
// it, or when the call fails, the findings say what KMS said.
func WithSSM(client ssmAPI) Option {
	return func(v *Verifier) { v.ssm = client }
}

// describeBatch is the most names one DescribeParameters call filters on, and returns.
const describeBatch = 50

// refusal is a Decrypt that KMS refused for a reason the secret's key explains: the key is not
// the required one (IncorrectKeyException), or the caller may not use it (AccessDeniedException,
// which any direct Decrypt under an AWS managed key gets).
type refusal struct {
	incorrectKey bool
	err          error
}

// explain adds to each refused secret's result the findings its key explains, looking the keys
// up with one DescribeParameters call per describeBatch refused secrets. Only a cancelled ctx
// is an error: a failed lookup leaves the findings unexplained.
func (r *run) explain(ctx context.Context, secrets []Secret, results []Result, refusals []*refusal) error {
	var names []string
	for i, rf := range refusals {
		if rf != nil && !secrets[i].Entry.SecretsManager() {
			names = append(names, parameterName(secrets[i].Entry))
		}
	}
	var keys map[string]string
	var lookupErr error
	if len(names) > 0 {
		keys, lookupErr = r.parameterKeys(ctx, names)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for i, rf := range refusals {
		if rf == nil {
			continue
		}
		res := &results[i]
		var findings []Finding
		if secrets[i].Entry.SecretsManager() {
			findings = rf.sealedFindings(r.requiredKey)
		} else {
			findings = rf.findings(keys[canonicalName(parameterName(secrets[i].Entry))], r.requiredKey, lookupErr)
		}
		for _, f := range findings {
			if f.Check == CheckKey {
				res.Checks = append(res.Checks, CheckKey)
				break
			}
		}
		res.Findings = append(res.Findings, findings...)
	}
	return nil
}

// parameterKeys returns the KeyId that DescribeParameters reports for each of names, by
// canonicalName. It follows NextToken, as DescribeParameters may return fewer parameters a page
// than asked for, until every name of a batch is found.
func (r *run) parameterKeys(ctx context.Context, names []string) (map[string]string, error) {
	if r.ssm == nil {
		return nil, nil
	}
	keys := map[string]string{}
	for batch := range slices.Chunk(names, describeBatch) {
		in := &ssm.DescribeParametersInput{
			MaxResults:       aws.Int32(describeBatch),
			ParameterFilters: []ssmtypes.ParameterStringFilter{{Key: aws.String("Name"), Option: aws.String("Equals"), Values: batch}},
		}
		for found := 0; ; {
			out, err := r.ssm.DescribeParameters(ctx, in)
			if err != nil {
				return keys, err
			}
			for _, p := range out.Parameters {
				keys[canonicalName(aws.ToString(p.Name))] = aws.ToString(p.KeyId)
				found++
			}
			if in.NextToken = out.NextToken; in.NextToken == nil || found >= len(batch) {
				break
			}
		}
	}
	return keys, nil
}

// findings are what a refused Decrypt means, given the secret's key as DescribeParameters names
// it ("" when unknown, lookupErr telling why), and the required key ("" for none).
func (rf *refusal) findings(keyID, required string, lookupErr error) []Finding {
	var fs []Finding
	if rf.incorrectKey {
		msg := "encrypted with another key than the required " + required
		if keyID != "" {
			msg = fmt.Sprintf("encrypted with key %s, required %s", keyID, required)
		}
		fs = append(fs, Finding{Check: CheckKey, Reason: ErrWrongKey, Message: msg + "; re-put the parameter with --key-id of the required key" + unexplained(keyID, lookupErr)})
	}
	switch {
	case isAWSManaged(keyID):
		fs = append(fs, Finding{Check: CheckKey, Reason: ErrAWSManagedKey, Message: fmt.Sprintf(
			"encrypted with the AWS managed key %s: a Lambda function cannot call kms:Decrypt on an AWS managed key "+
				"(its key policy lets only the AWS service use it), so the baked secret would not decrypt at runtime; "+
				"re-put the parameter with `aws ssm put-parameter --overwrite --type SecureString --key-id <customer managed key>`", keyID)})
	case rf.incorrectKey:
	case keyID != "":
		fs = append(fs, Finding{Check: CheckDecrypt, Reason: ErrAccessDenied, Message: fmt.Sprintf(
			"KMS denied kms:Decrypt%s under the parameter's key %s; allow it on that key for this encryption context", kmsSays(rf.err), keyID)})
	default:
		fs = append(fs, Finding{Check: CheckDecrypt, Reason: ErrAccessDenied, Message: "KMS denied kms:Decrypt" + kmsSays(rf.err) +
			"; allow it on the parameter's key for this encryption context. If the parameter is encrypted with the " +
			"AWS managed key alias/aws/ssm, which only SSM itself may use, re-put it with --key-id of a customer managed key" +
			unexplained(keyID, lookupErr)})
	}
	return fs
}

// sealedFindings are what a refused Decrypt of a Secrets Manager entry means: the bake sealed
// it under the kms-key-id it had, or the secret's own key, with the entry's SecretARN context.
func (rf *refusal) sealedFindings(required string) []Finding {
	if rf.incorrectKey {
		return []Finding{{Check: CheckKey, Reason: ErrWrongKey, Message: "sealed under another key than the required " + required +
			"; bake the secret again with kms-key-id " + required}}
	}
	return []Finding{{Check: CheckDecrypt, Reason: ErrAccessDenied, Message: "KMS denied kms:Decrypt" + kmsSays(rf.err) +
		" under the key the bake sealed the secret with; allow it on that key for the entry's SecretARN encryption context"}}
}

// unexplained says why a finding does not name the secret's key, when a lookup failed.
func unexplained(keyID string, lookupErr error) string {
	var apiErr smithy.APIError
	switch {
	case keyID != "" || lookupErr == nil:
		return ""
	case errors.As(lookupErr, &apiErr):
		return fmt.Sprintf(" (ssm:DescribeParameters, which names the parameter's key, failed: %s)", apiErr.ErrorCode())
	default:
		return " (ssm:DescribeParameters, which names the parameter's key, failed)"
	}
}

// checkRequired refuses, before any call, a required key that is an AWS managed key's alias:
// aliases under alias/aws/ are reserved for them. Any other unusable key comes to light at the
// first Decrypt.
func checkRequired(key string) error {
	if isAWSManaged(key) {
		return fmt.Errorf("%w: %s is an AWS managed key, which Lambda functions cannot use for kms:Decrypt; require a customer managed key", ErrRequiredKey, key)
	}
	return nil
}

// isAWSManaged reports whether a key identifier is the alias, or alias ARN, of an AWS managed
// key. A key ID or key ARN does not tell.
func isAWSManaged(keyID string) bool {
	return strings.HasPrefix(keyID, "alias/aws/") || strings.Contains(keyID, ":alias/aws/")
}

// parameterName is the name of the parameter an entry was baked from, without its selector.
func parameterName(e baked.Entry) string {
	if e.Parameter != "" {
		name, _, _ := strings.Cut(e.Parameter, ":")
		return name
	}
	_, name, _ := strings.Cut(e.ARN, ":parameter")
	return name
}

// canonicalName is a parameter name as SSM compares them: "app/a" and "/app/a" are one name.
func canonicalName(name string) string {
	return "/" + strings.TrimPrefix(name, "/")
}
