// Package outfile places the baked file: confined to the workspace and
// written atomically, so that a failed or interrupted run leaves the previous
// file exactly as it was.
package outfile
