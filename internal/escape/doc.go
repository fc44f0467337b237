// Package escape makes user-controlled text safe for each place secret-baker
// prints it: workflow commands and the lines the Actions runner parses, a
// terminal or plain CI log, and the markdown job summary. It is the one home
// of these rules; callers pick the function for their sink.
package escape
