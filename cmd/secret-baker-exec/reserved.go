package main

import "strings"

// reservedPrefixes and reservedNames are the variables a secret may never
// set, with or without SECRET_BAKER_ENV_OVERRIDE, because Lambda, the runtime
// or the dynamic loader reads them:
//
//   - the variables Lambda defines in every execution environment, reserved
//     and unreserved, listed in "Defined runtime environment variables"
//     (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-runtime.html):
//     _HANDLER, _X_AMZN_TRACE_ID, AWS_DEFAULT_REGION, AWS_REGION,
//     AWS_EXECUTION_ENV, AWS_LAMBDA_FUNCTION_NAME, AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
//     AWS_LAMBDA_FUNCTION_VERSION, AWS_LAMBDA_INITIALIZATION_TYPE,
//     AWS_LAMBDA_LOG_GROUP_NAME, AWS_LAMBDA_LOG_STREAM_NAME, AWS_ACCESS_KEY,
//     AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
//     AWS_LAMBDA_RUNTIME_API, LAMBDA_TASK_ROOT, LAMBDA_RUNTIME_DIR; and LANG,
//     PATH, LD_LIBRARY_PATH, NODE_PATH, PYTHONPATH, GEM_PATH,
//     AWS_XRAY_CONTEXT_MISSING, _AWS_XRAY_DAEMON_ADDRESS,
//     _AWS_XRAY_DAEMON_PORT, AWS_XRAY_DAEMON_ADDRESS, AWS_LAMBDA_DOTNET_PREJIT,
//     TZ. The prefixes AWS_, LAMBDA_, _AWS_ and _LAMBDA_ cover those and the
//     ones Lambda adds later (AWS_LAMBDA_EXEC_WRAPPER, AWS_LAMBDA_LOG_FORMAT...);
//   - the language-specific startup variables of "Modifying the runtime
//     environment" (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-modify.html):
//     JAVA_TOOL_OPTIONS, NODE_OPTIONS, DOTNET_STARTUP_HOOKS;
//   - where the runtimes find themselves (JAVA_HOME, DOTNET_ROOT, set by the
//     Java and .NET runtimes) and what the dynamic loader obeys (LD_PRELOAD).
var (
	reservedPrefixes = []string{"AWS_", "LAMBDA_", "_AWS_", "_LAMBDA_"}
	reservedNames    = map[string]bool{
		"_HANDLER": true, "_X_AMZN_TRACE_ID": true, "TZ": true, "LANG": true,
		"PATH": true, "LD_LIBRARY_PATH": true, "LD_PRELOAD": true,
		"NODE_PATH": true, "PYTHONPATH": true, "GEM_PATH": true,
		"JAVA_HOME": true, "DOTNET_ROOT": true,
		"JAVA_TOOL_OPTIONS": true, "NODE_OPTIONS": true, "DOTNET_STARTUP_HOOKS": true,
	}
)

// reserved reports whether the variable name is one a secret may never set.
func reserved(name string) bool {
	if reservedNames[name] {
		return true
	}
	for _, p := range reservedPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}
