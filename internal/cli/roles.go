package cli

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/report"
	"github.com/org/secret-baker/roles"
	"github.com/org/secret-baker/spec"
)

// roleSettings are the inputs of the function role proof.
type roleSettings struct {
	// input is the function-roles input's ARNs joined by commas; empty for
	// the spec's roles.
	input   string
	kmsConc int
}

func (c *config) roleSettings() roleSettings {
	return roleSettings{input: c.functionRoles, kmsConc: c.kmsConc}
}

// functionRole is a role to check and where it was named.
type functionRole struct {
	arn string
	loc spec.Location // zero for the input
}

// resolve lists the roles to check, each once where it is first named: the
// input's, else the spec's literal ARNs, with the spec's roles it cannot
// check as notices.
func (s roleSettings) resolve(sp *spec.Spec) (checked []functionRole, unchecked []report.Finding) {
	seen := map[string]bool{}
	add := func(r functionRole) {
		if !seen[r.arn] {
			seen[r.arn] = true
			checked = append(checked, r)
		}
	}
	if s.input != "" {
		for _, arn := range strings.Split(s.input, ",") {
			add(functionRole{arn: arn})
		}
		return checked, nil
	}
	for _, r := range sp.FunctionRoles {
		if r.ARN != "" {
			add(functionRole{arn: r.ARN, loc: r.Location})
			continue
		}
		unchecked = append(unchecked, report.Finding{Kind: report.KindRoleNotChecked, Location: r.Location,
			Detail: r.Where + " " + r.Unchecked + ": not checked; give the function roles' ARNs in the function-roles input to check them"})
	}
	return checked, unchecked
}

// prove proves that every role may decrypt what the Lambda readers will
// decrypt of doc, as they will: every declared secret of its entries or,
// when it has a bundle, every chunk of the bundle, which the readers decrypt
// instead. It returns nil when no role is to be checked or reported.
func (s roleSettings) prove(ctx context.Context, rc *runContext, awsCfg aws.Config, doc baked.Document) (*report.RoleProof, report.Findings, error) {
	checked, unchecked := s.resolve(rc.sp)
	if len(checked) == 0 && len(unchecked) == 0 {
		return nil, nil, nil
	}
	var secrets []roles.Secret
	if doc.Bundle != nil {
		secrets = roles.BundleChunks(doc.Bundle)
	} else {
		for _, d := range rc.sp.Secrets {
			if e, ok := doc.Entries[d.Name]; ok {
				secrets = append(secrets, roles.Secret{Name: d.Name, Entry: e})
			}
		}
	}
	proof := &report.RoleProof{Unchecked: unchecked, Secrets: len(secrets), Bundle: doc.Bundle != nil}
	if len(checked) == 0 {
		return proof, nil, nil
	}
	arns := make([]string, len(checked))
	for i, r := range checked {
		arns[i] = r.arn
	}
	if err := rc.aws.allowed.Check(fromFunctionRoles, arns...); err != nil {
		return nil, nil, report.Findings{{Kind: report.KindAccount, Reason: err}}
	}
	rc.ui.Group(fmt.Sprintf("Prove that %d function role(s) can decrypt %d %s", len(arns), len(secrets), proof.Unit()))
	kmsFor := func(creds aws.CredentialsProvider) baked.KMSClient {
		return kms.NewFromConfig(awsCfg, func(o *kms.Options) { o.Credentials = aws.NewCredentialsCache(creds) })
	}
	prover := roles.New(sts.NewFromConfig(awsCfg), kmsFor, roles.WithConcurrency(s.kmsConc), roles.WithProgress(rc.ui.Progress("role checks")))
	results, err := prover.Prove(ctx, arns, secrets)
	rc.ui.EndGroup()
	if err != nil {
		return nil, nil, fmt.Errorf("failed to prove the function roles: %w", err)
	}
	proof.Results = results
	var fs report.Findings
	for i, r := range results {
		if r.AssumeErr != nil {
			fs = append(fs, report.Finding{Kind: report.KindRoleNotAssumable, Role: r.Role, Location: checked[i].loc, Reason: r.AssumeErr,
				Detail: notAssumable(r, rc.aws.role.arn)})
			continue
		}
		for _, sec := range secrets {
			reason, refused := r.Refused[sec.Name]
			if !refused {
				continue
			}
			what := "it"
			if doc.Bundle != nil {
				what = "the file's " + sec.Name
			}
			f := finding(rc.sp, report.Finding{Kind: report.KindRoleRefused, Secret: sec.Name, Parameter: sec.Entry.Parameter, Version: sec.Entry.Version,
				Role: r.Role, Reason: reason, Detail: fmt.Sprintf("function role %s may not decrypt %s as the Lambda readers will (kms:Decrypt%s%s): %v", r.Role, what, onKey(sec.Entry.KeyARN), inContext(doc.Bundle), reason)})
			if doc.Bundle != nil && rc.sp.Bundle {
				f.Location = rc.sp.BundleLocation
			}
			fs = append(fs, f)
		}
	}
	return proof, fs, nil
}

// inContext names the encryption context a bundle's chunks are decrypted
// with; "" without a bundle.
func inContext(b *baked.Bundle) string {
	if b == nil {
		return ""
	}
	return fmt.Sprintf(" with the bundle's encryption context {%q: %q, %q: \"I/N\"}", baked.BundleContextDigest, b.Digest, baked.BundleContextChunk)
}

// onKey names the key a reader passes as KeyId, when the file records one.
func onKey(keyARN string) string {
	if keyARN == "" {
		return ""
	}
	return " with KeyId " + keyARN
}

// caller is the principal STS names in an AssumeRole refusal.
var caller = regexp.MustCompile(`User: (arn:aws[a-z-]*:(?:sts|iam)::[0-9]{12}:[A-Za-z0-9+=,.@_/-]+) is not authorized`)

// assumedRole is an STS assumed-role ARN: partition, account and role name
// (its path is not in it).
var assumedRole = regexp.MustCompile(`^arn:(aws[a-z-]*):sts::([0-9]{12}):assumed-role/([A-Za-z0-9+=,.@_-]+)/.*$`)

// notAssumable says why a function role could not be assumed, and the trust
// policy statement that lets this run's role check it. Without runRole, a
// principal rebuilt from an assumed-role ARN lacks the role's path, and the
// message says so.
func notAssumable(r roles.Result, runRole string) string {
	principal, pathNote := runRole, ""
	var apiErr smithy.APIError
	if m := caller.FindStringSubmatch(r.AssumeErr.Error()); principal == "" && m != nil {
		principal = m[1]
		if a := assumedRole.FindStringSubmatch(m[1]); a != nil {
			principal = "arn:" + a[1] + ":iam::" + a[2] + ":role/" + a[3]
			pathNote = fmt.Sprintf(" The run's role is known only from its session ARN %s, which omits the role's path: if the role has one (an SSO role's is aws-reserved/sso.amazonaws.com/...), use its full ARN (aws iam get-role --role-name %s).", m[1], a[3])
		}
	}
	if principal == "" {
		principal = "<the ARN of the role this job runs as>"
	}
	code := "refused"
	if errors.As(r.AssumeErr, &apiErr) {
		code = apiErr.ErrorCode()
	}
	if code == "RegionDisabledException" {
		return fmt.Sprintf("STS answered RegionDisabledException to sts:AssumeRole on %s, so its right to decrypt was not checked: "+
			"STS is not activated in this region for the role's account; activate it (IAM, Account settings, Security Token Service) or run in another region", r.Role)
	}
	return fmt.Sprintf("STS answered %s to sts:AssumeRole on %s, so its right to decrypt was not checked. To check it, add this statement to the role's trust policy: "+
		`{"Effect": "Allow", "Principal": {"AWS": %q}, "Action": "sts:AssumeRole"}`+
		"; it lets that principal assume the function role with all its permissions (secret-baker's own sessions may only kms:Decrypt), so where it should not, run the proof as a dedicated check role (README, Function roles).%s", code, r.Role, principal, pathNote)
}
