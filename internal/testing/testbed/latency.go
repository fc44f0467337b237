package testbed

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// DefaultLatency is the delay a Latency server answers after unless told otherwise: about what
// an SSM or KMS call takes from a runner in the same region.
const DefaultLatency = 20 * time.Millisecond

// The account, region-independent key and ciphertext layout of the Latency server.
const (
	latencyAccount = "123456789012"
	latencyKeyID   = "1234abcd-12ab-34cd-56ef-1234567890ab"
	// latencyBlobHeader starts every fake ciphertext: version 0x01 and 0x02 as real KMS
	// ciphertext blobs do, never an Encryption SDK header (0x01 0x80, or 0x02 0x04/0x05 0x78).
	latencyBlobHeader = "\x01\x02\x00"
	// latencySealedHeader starts every ciphertext of Encrypt: the plaintext sealed with AES-GCM
	// under latencySealKey, its encryption context as additional data.
	latencySealedHeader = "\x01\x02\x01"
	// latencyMaxPlaintext is the most bytes Encrypt takes, as KMS's limit.
	latencyMaxPlaintext = 4096
	jsonContentType     = "application/x-amz-json-1.1"
)

// latencySealKey is the AES-256 key of the Latency server's one KMS key: fixed, so that what one
// server encrypts another decrypts, as one KMS key does across connections.
var latencySealKey = []byte("secret-baker latency test key 32")

// Latency is an HTTP server on 127.0.0.1 that answers SSM GetParameters and GetParameter, KMS
// Encrypt, Decrypt (DryRun too) and DescribeKey, and STS AssumeRole with well-formed responses
// after a fixed delay and does nothing else, so that a client's wall time against it is its own
// cost plus that delay per round trip. It knows one customer managed key, which every key
// identifier names, and every parameter name: each is a standard SecureString, version 1, whose
// ciphertext is bound to its ARN and decrypts to "value-<n>" (n a hash of the ARN). Encrypt
// seals up to 4,096 bytes under that key, bound to the encryption context as KMS binds it, so
// that Decrypt opens it only with the same context. It counts calls per operation and takes
// Faults like Proxy; a Fault sees a request on arrival, and the delay of a request it lets
// through counts from then.
type Latency struct {
	// URL is the server's base URL, http://127.0.0.1:<port>.
	URL string

	delay  time.Duration
	region string
	server *http.Server

	callLog
	faultSlot
}

// NewLatency starts a Latency server for region that answers after delay; Close stops it.
func NewLatency(region string, delay time.Duration) (*Latency, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("failed to listen for latency server: %w", err)
	}
	s := &Latency{URL: "http://" + l.Addr().String(), delay: delay, region: region}
	s.server = &http.Server{Handler: http.HandlerFunc(s.serve), ErrorLog: log.New(io.Discard, "", 0)}
	go func() { _ = s.server.Serve(l) }() // returns when Close closes the listener
	return s, nil
}

// Close stops the server and drops its connections.
func (s *Latency) Close() {
	_ = s.server.Close()
}

// KeyARN returns the ARN of the server's one KMS key.
func (s *Latency) KeyARN() string {
	return fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", s.region, latencyAccount, latencyKeyID)
}

// AWSConfig returns an SDK configuration that sends every service to the server.
func (s *Latency) AWSConfig() aws.Config {
	return awsConfig(s.URL, s.region)
}

// Env returns the environment that points a process's default AWS chain at the server, as
// Proxy.Env does for a proxy.
func (s *Latency) Env() []string {
	return endpointEnv(s.URL, s.region)
}

// serve counts r, offers it to the fault, and otherwise builds its answer and sends it once the
// delay has passed since r arrived.
func (s *Latency) serve(w http.ResponseWriter, r *http.Request) {
	arrived := time.Now()
	op, err := s.record(r, arrived)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if s.intercept(op, w, r) {
		return
	}

	contentType, status, body := jsonContentType, 0, []byte(nil)
	if op == "sts:AssumeRole" {
		contentType, status, body = "text/xml", http.StatusOK, assumeRoleXML
	} else {
		status, body = s.answer(op, r.Body)
	}
	timer := time.NewTimer(s.delay - time.Since(arrived))
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-r.Context().Done():
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// answer returns the status and JSON body of the response to op with the request body in.
func (s *Latency) answer(op string, in io.Reader) (int, []byte) {
	var (
		out any
		err error
	)
	switch op {
	case "ssm:GetParameters":
		out, err = s.getParameters(in)
	case "ssm:GetParameter":
		out, err = s.getParameter(in)
	case "kms:Decrypt":
		out, err = s.decrypt(in)
	case "kms:Encrypt":
		out, err = s.encrypt(in)
	case "kms:DescribeKey":
		out, err = s.describeKey(in)
	default:
		err = &awsError{status: http.StatusBadRequest, Type: "UnknownOperationException", Message: "the latency server does not answer " + op}
	}
	var ae *awsError
	switch {
	case errors.As(err, &ae):
		out = ae
	case err != nil:
		ae = &awsError{status: http.StatusBadRequest, Type: "SerializationException", Message: err.Error()}
		out = ae
	}
	body, merr := json.Marshal(out)
	if merr != nil {
		return http.StatusInternalServerError, []byte(`{"__type":"InternalFailure"}`)
	}
	if ae != nil {
		return ae.status, body
	}
	return http.StatusOK, body
}

// awsError is an AWS JSON 1.1 error response.
type awsError struct {
	status  int
	Type    string `json:"__type"`
	Message string `json:"message"`
}

func (e *awsError) Error() string { return e.Type + ": " + e.Message }

type latencyParameter struct {
	Name             string
	Selector         string `json:",omitempty"`
	Type             string
	Value            string
	Version          int64
	ARN              string
	DataType         string
	LastModifiedDate float64
}

// getParameters answers every name with a SecureString whose ciphertext names its ARN.
func (s *Latency) getParameters(in io.Reader) (any, error) {
	var req struct{ Names []string }
	if err := json.NewDecoder(in).Decode(&req); err != nil {
		return nil, fmt.Errorf("failed to parse GetParameters request: %w", err)
	}
	params := make([]latencyParameter, len(req.Names))
	for i, n := range req.Names {
		params[i] = s.parameter(n)
	}
	return struct {
		Parameters        []latencyParameter
		InvalidParameters []string
	}{params, []string{}}, nil
}

// getParameter answers like getParameters for one name.
func (s *Latency) getParameter(in io.Reader) (any, error) {
	var req struct{ Name string }
	if err := json.NewDecoder(in).Decode(&req); err != nil {
		return nil, fmt.Errorf("failed to parse GetParameter request: %w", err)
	}
	return struct{ Parameter latencyParameter }{s.parameter(req.Name)}, nil
}

// parameter is the SecureString a request for n ("NAME" or "NAME:SELECTOR") gets.
func (s *Latency) parameter(n string) latencyParameter {
	name, selector, _ := strings.Cut(n, ":")
	arn := fmt.Sprintf("arn:aws:ssm:%s:%s:parameter/%s", s.region, latencyAccount, strings.TrimPrefix(name, "/"))
	if selector != "" {
		selector = ":" + selector
	}
	return latencyParameter{
		Name:             name,
		Selector:         selector,
		Type:             "SecureString",
		Value:            base64.StdEncoding.EncodeToString([]byte(latencyBlobHeader + arn)),
		Version:          1,
		ARN:              arn,
		DataType:         "text",
		LastModifiedDate: 1.7e9,
	}
}

// decrypt opens a ciphertext of getParameters when the encryption context names its ARN, and
// one of encrypt with the context it was sealed with; a DryRun of either answers
// DryRunOperationException, as KMS does when the call would succeed.
func (s *Latency) decrypt(in io.Reader) (any, error) {
	var req struct {
		CiphertextBlob    []byte
		EncryptionContext map[string]string
		DryRun            bool
	}
	if err := json.NewDecoder(in).Decode(&req); err != nil {
		return nil, fmt.Errorf("failed to parse Decrypt request: %w", err)
	}
	plaintext, ok := openLatencyBlob(req.CiphertextBlob, req.EncryptionContext)
	if !ok {
		return nil, &awsError{status: http.StatusBadRequest, Type: "InvalidCiphertextException"}
	}
	if req.DryRun {
		return nil, &awsError{status: http.StatusPreconditionFailed, Type: "DryRunOperationException", Message: "The request would have succeeded, but the DryRun option is set."}
	}
	return struct {
		KeyId               string
		Plaintext           []byte
		EncryptionAlgorithm string
	}{s.KeyARN(), plaintext, "SYMMETRIC_DEFAULT"}, nil
}

// openLatencyBlob returns the plaintext of blob under context, and false when it does not open.
func openLatencyBlob(blob []byte, context map[string]string) ([]byte, bool) {
	if sealed, ok := bytes.CutPrefix(blob, []byte(latencySealedHeader)); ok {
		aead := latencyAEAD()
		if len(sealed) < aead.NonceSize() {
			return nil, false
		}
		plaintext, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], contextData(context))
		return plaintext, err == nil
	}
	arn, ok := bytes.CutPrefix(blob, []byte(latencyBlobHeader))
	if !ok || len(context) != 1 || context["PARAMETER_ARN"] != string(arn) {
		return nil, false
	}
	h := fnv.New32a()
	h.Write(arn)
	return fmt.Appendf(nil, "value-%d", h.Sum32()), true
}

// encrypt seals the plaintext under the one key, bound to the encryption context.
func (s *Latency) encrypt(in io.Reader) (any, error) {
	var req struct {
		KeyId             string
		Plaintext         []byte
		EncryptionContext map[string]string
	}
	if err := json.NewDecoder(in).Decode(&req); err != nil {
		return nil, fmt.Errorf("failed to parse Encrypt request: %w", err)
	}
	if req.KeyId == "" || len(req.Plaintext) == 0 || len(req.Plaintext) > latencyMaxPlaintext {
		return nil, &awsError{status: http.StatusBadRequest, Type: "ValidationException", Message: "KeyId is required and Plaintext must be 1 to 4096 bytes"}
	}
	aead := latencyAEAD()
	nonce := make([]byte, aead.NonceSize())
	_, _ = rand.Read(nonce) // never fails
	blob := append([]byte(latencySealedHeader), nonce...)
	return struct {
		CiphertextBlob      []byte
		KeyId               string
		EncryptionAlgorithm string
	}{aead.Seal(blob, nonce, req.Plaintext, contextData(req.EncryptionContext)), s.KeyARN(), "SYMMETRIC_DEFAULT"}, nil
}

// latencyAEAD is AES-GCM under latencySealKey.
func latencyAEAD() cipher.AEAD {
	block, err := aes.NewCipher(latencySealKey)
	if err != nil {
		panic(err) // a 32-byte key never fails
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return aead
}

// contextData is the encryption context as the additional data it binds: its JSON, keys sorted;
// none and an empty one are the same, as in KMS.
func contextData(context map[string]string) []byte {
	if len(context) == 0 {
		return []byte("{}")
	}
	data, _ := json.Marshal(context) // a map of strings always encodes
	return data
}

// assumeRoleXML is the answer to every AssumeRole: short-lived credentials of the role, in the
// query protocol's XML.
var assumeRoleXML = []byte(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>` +
	`<Credentials><AccessKeyId>ASIALATENCY</AccessKeyId><SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken>` +
	`<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>` +
	`<AssumedRoleUser><AssumedRoleId>AROALATENCY:secret-baker-check</AssumedRoleId><Arn>arn:aws:sts::` + latencyAccount + `:assumed-role/fn/secret-baker-check</Arn></AssumedRoleUser>` +
	`</AssumeRoleResult><ResponseMetadata><RequestId>latency</RequestId></ResponseMetadata></AssumeRoleResponse>`)

// describeKey describes the one key, whatever identifier it is asked for by.
func (s *Latency) describeKey(in io.Reader) (any, error) {
	var req struct{ KeyId string }
	if err := json.NewDecoder(in).Decode(&req); err != nil {
		return nil, fmt.Errorf("failed to parse DescribeKey request: %w", err)
	}
	if req.KeyId == "" {
		return nil, &awsError{status: http.StatusBadRequest, Type: "ValidationException", Message: "KeyId is required"}
	}
	type keyMetadata struct {
		AWSAccountId          string
		KeyId                 string
		Arn                   string
		CreationDate          float64
		Enabled               bool
		KeyManager            string
		KeyState              string
		KeyUsage              string
		KeySpec               string
		CustomerMasterKeySpec string
		Origin                string
		EncryptionAlgorithms  []string
	}
	return struct{ KeyMetadata keyMetadata }{keyMetadata{
		AWSAccountId:          latencyAccount,
		KeyId:                 latencyKeyID,
		Arn:                   s.KeyARN(),
		CreationDate:          1.7e9,
		Enabled:               true,
		KeyManager:            "CUSTOMER",
		KeyState:              "Enabled",
		KeyUsage:              "ENCRYPT_DECRYPT",
		KeySpec:               "SYMMETRIC_DEFAULT",
		CustomerMasterKeySpec: "SYMMETRIC_DEFAULT",
		Origin:                "AWS_KMS",
		EncryptionAlgorithms:  []string{"SYMMETRIC_DEFAULT"},
	}}, nil
}
