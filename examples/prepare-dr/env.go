package main

import "os"

// lookupEnv reads the process environment; only the program (never the
// SDK) does.
func lookupEnv(name string) (string, bool) { return os.LookupEnv(name) }
