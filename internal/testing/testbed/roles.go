package testbed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// The accounts and identity of the test bed. The emulator evaluates IAM policies only for the
// sessions of roles assumed with AssumeRole; the test bed's own credentials may do anything.
const (
	// Account is the account of the test bed's credentials and of everything a Seeder creates.
	Account = "123456789012"
	// OtherAccount is a second account, for SeederIn, where roles of another account live.
	OtherAccount = "999999999999"
	// CallerARN is who the test bed's credentials are, as GetCallerIdentity and the emulator's
	// AccessDenied messages name them.
	CallerARN = "arn:aws:sts::" + Account + ":user/moto"
)

// CreateRole creates the IAM role name with the trust policy trust (see TrustPolicy) and the
// given inline policies (policy name to JSON document), and returns its ARN.
func (s *Seeder) CreateRole(ctx context.Context, name, trust string, inline map[string]string) (arn string, err error) {
	out, err := s.iam.CreateRole(ctx, &iam.CreateRoleInput{RoleName: &name, AssumeRolePolicyDocument: &trust})
	var exists *iamtypes.EntityAlreadyExistsException
	if errors.As(err, &exists) {
		// Names are unique to a test: the role is the one an attempt the SDK
		// retried (a 5xx from the emulator under load) already created.
		got, gerr := s.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: &name})
		if gerr == nil {
			out, err = &iam.CreateRoleOutput{Role: got.Role}, nil
		}
	}
	if err != nil {
		return "", fmt.Errorf("failed to create role %s: %w", name, err)
	}
	for _, policy := range slices.Sorted(maps.Keys(inline)) {
		doc := inline[policy]
		if _, err := s.iam.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: &name, PolicyName: &policy, PolicyDocument: &doc}); err != nil {
			return "", fmt.Errorf("failed to put policy %s on role %s: %w", policy, name, err)
		}
	}
	return aws.ToString(out.Role.Arn), nil
}

// AttachPolicy creates the customer managed policy policyName with document and attaches it to
// the role roleName; it returns the policy's ARN.
func (s *Seeder) AttachPolicy(ctx context.Context, roleName, policyName, document string) (policyARN string, err error) {
	out, err := s.iam.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: &policyName, PolicyDocument: &document})
	if err != nil {
		return "", fmt.Errorf("failed to create policy %s: %w", policyName, err)
	}
	if _, err := s.iam.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: &roleName, PolicyArn: out.Policy.Arn}); err != nil {
		return "", fmt.Errorf("failed to attach policy %s to role %s: %w", policyName, roleName, err)
	}
	return aws.ToString(out.Policy.Arn), nil
}

// PutKeyPolicy replaces the key policy of keyID with policy. A key starts with moto's default
// policy, which lets its own account's IAM policies decide.
func (s *Seeder) PutKeyPolicy(ctx context.Context, keyID, policy string) error {
	in := &kms.PutKeyPolicyInput{KeyId: &keyID, Policy: &policy, PolicyName: aws.String("default")}
	if _, err := s.kms.PutKeyPolicy(ctx, in); err != nil {
		return fmt.Errorf("failed to put the policy of key %s: %w", keyID, err)
	}
	return nil
}

// AssumeRole assumes roleARN as the Seeder's identity (CallerARN for Seeder) for the shortest
// session, 900 seconds, and returns the session's credentials. The emulator refuses with
// AccessDenied when the role's trust policy does not admit that identity.
func (s *Seeder) AssumeRole(ctx context.Context, roleARN, sessionName string) (aws.Credentials, error) {
	out, err := s.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: &roleARN, RoleSessionName: &sessionName, DurationSeconds: aws.Int32(900)})
	if err != nil {
		return aws.Credentials{}, fmt.Errorf("failed to assume role %s: %w", roleARN, err)
	}
	c := out.Credentials
	return aws.Credentials{
		AccessKeyID:     aws.ToString(c.AccessKeyId),
		SecretAccessKey: aws.ToString(c.SecretAccessKey),
		SessionToken:    aws.ToString(c.SessionToken),
		Source:          "testbed AssumeRole",
		CanExpire:       c.Expiration != nil,
		Expires:         aws.ToTime(c.Expiration),
	}, nil
}

// Statement is one statement of an IAM policy document. Principal, Action and Resource take a
// string or a []string; Principal is a map such as {"AWS": "arn:aws:iam::123456789012:root"} or
// "*"; Condition maps an operator to condition keys and their values.
type Statement struct {
	Effect    string                    `json:"Effect"`
	Principal any                       `json:"Principal,omitempty"`
	Action    any                       `json:"Action"`
	Resource  any                       `json:"Resource,omitempty"`
	Condition map[string]map[string]any `json:"Condition,omitempty"`
}

// Policy returns the JSON policy document holding statements.
func Policy(statements ...Statement) string {
	doc, err := json.Marshal(struct {
		Version   string
		Statement []Statement
	}{"2012-10-17", statements})
	if err != nil {
		panic(err) // a Statement holds only strings, slices and maps
	}
	return string(doc)
}

// TrustPolicy returns a role trust policy that lets principals (ARNs, account ids, or
// arn:aws:iam::ACCOUNT:root for any principal of that account) call sts:AssumeRole.
func TrustPolicy(principals ...string) string {
	return Policy(Statement{Effect: "Allow", Principal: map[string]any{"AWS": principals}, Action: "sts:AssumeRole"})
}

// DecryptPolicy returns an identity policy that allows kms:Decrypt under keyARN, as a Lambda
// reader's role has it: only for the ciphertexts of parameterARNs (the encryption context SSM
// binds them to) when some are given, for any ciphertext of the key otherwise.
func DecryptPolicy(keyARN string, parameterARNs ...string) string {
	st := Statement{Effect: "Allow", Action: "kms:Decrypt", Resource: keyARN}
	if len(parameterARNs) > 0 {
		st.Condition = map[string]map[string]any{"StringEquals": {"kms:EncryptionContext:PARAMETER_ARN": parameterARNs}}
	}
	return Policy(st)
}
