// Package leakcheck looks for secret values where they must never be: in a program's output and
// in the files it leaves behind, in any of the forms a value takes on its way out (as is, line by
// line, truncated, JSON- or Go-quoted, URL- or workflow-command-escaped, hex, base64 at any
// alignment). It reports which secret leaked where by index, never printing the value itself.
package leakcheck
