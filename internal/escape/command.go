package escape

import "strings"

var (
	commandData     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	commandProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// CommandData escapes s for a line the Actions runner reads from a step's
// stdout or stderr: the message of a workflow command, or any other printed
// text. The runner splits lines at "\n" and at a bare "\r" and runs every line
// that starts with "::" as a command, so no line break may pass; the runner
// unescapes "%25", "%0D" and "%0A" in command messages. Invisible characters
// are shown as their code points (\u200b), as Terminal shows them.
func CommandData(s string) string { return commandData.Replace(showInvisible(s)) }

// CommandProperty escapes s for a workflow command property value (file=...,
// title=...): as CommandData, and ":" and "," too, which end a property.
func CommandProperty(s string) string { return commandProperty.Replace(showInvisible(s)) }
