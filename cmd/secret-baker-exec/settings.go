package main

import (
	"cmp"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/org/secret-baker/baked"
)

// The variables that configure the wrapper.
const (
	fileVar     = "SECRET_BAKER_FILE"
	prefixVar   = "SECRET_BAKER_ENV_PREFIX"
	overrideVar = "SECRET_BAKER_ENV_OVERRIDE"
)

// errSnapStart refuses a SnapStart initialization.
var errSnapStart = errors.New("refusing to run under Lambda SnapStart (AWS_LAMBDA_INITIALIZATION_TYPE=snap-start): " +
	"the secrets would be stored in the snapshot and shared by every environment restored from it; " +
	"remove AWS_LAMBDA_EXEC_WRAPPER and look secrets up after restore with a reader (README, \"Lambda SnapStart\")")

// settings is what the function's environment asks of the wrapper.
type settings struct {
	file     string // the baked file
	prefix   string // prepended to each secret's name
	override bool   // whether a secret may replace a variable already set
}

// readSettings reads the settings from env, refusing a SnapStart
// initialization.
func readSettings(env map[string]string) (settings, error) {
	if env["AWS_LAMBDA_INITIALIZATION_TYPE"] == "snap-start" {
		return settings{}, errSnapStart
	}
	s := settings{
		file:   cmp.Or(env[fileVar], filepath.Join(env["LAMBDA_TASK_ROOT"], baked.DefaultName)),
		prefix: env[prefixVar],
	}
	switch env[overrideVar] {
	case "", "false":
	case "true":
		s.override = true
	default:
		return settings{}, fmt.Errorf("%s must be true or false", overrideVar)
	}
	return s, nil
}
