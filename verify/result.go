package verify

// Names of the checks a Result lists, in the order they run.
const (
	// CheckDecrypt is the KMS trial decryption of the baked ciphertext.
	CheckDecrypt = "decrypt"
	// CheckKey checks the key that decrypted the secret: the required key, and not AWS managed.
	CheckKey = "key"
	// CheckRegex matches the plaintext against the secret's regex.
	CheckRegex = "regex"
	// CheckSchema validates the plaintext, parsed as JSON, against the secret's JSON Schema.
	CheckSchema = "schema"
)

// Result is the verification of one secret.
type Result struct {
	// Name is the secret's name.
	Name string
	// Parameter and Version are the baked entry's parameter selector and version.
	Parameter string
	Version   int64
	// KeyARN is the ARN of the KMS key that decrypted the secret; empty when it did not decrypt.
	KeyARN string
	// Checks lists the checks that ran, Check* names in order.
	Checks []string
	// Findings lists every check failure; none means the secret passed.
	Findings []Finding
}

// OK reports whether the secret passed every check that ran.
func (r Result) OK() bool { return len(r.Findings) == 0 }

// Finding is one reason a secret fails verification. It never holds the secret's value nor
// any part of it.
type Finding struct {
	// Check is the Check* name of the check that failed.
	Check string
	// Message says what failed and why, for a person.
	Message string
	// Reason is the Err* sentinel the finding is about; test it with errors.Is.
	Reason error
	// InstanceLocation is, for schema findings, the JSON pointer of the failing value in the
	// secret's document, with property names the schema does not declare replaced by "*".
	InstanceLocation string
	// KeywordLocation is, for schema findings, the JSON pointer of the failing keyword in the
	// schema document (an absolute URL for keywords in a resource with its own $id).
	KeywordLocation string
}
