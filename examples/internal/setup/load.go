package setup

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"
)

// ErrSecretInFile is matched by the error of LoadJSON for a file that holds
// a secret in clear.
var ErrSecretInFile = errors.New("secret in clear in the file")

// secretKeys are member names that may only name an environment variable
// (with the suffix _env), never hold the secret itself.
var secretKeys = []string{"password", "passwd", "pass", "secret", "tsig_secret", "key_secret", "token"}

// LoadJSON reads the JSON file at path into v, refusing unknown members
// (a typo is an error, not a default) and any member that holds a secret
// in clear (see FindSecrets).
func LoadJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := FindSecrets(data); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if dec.More() {
		return fmt.Errorf("%s: data after the JSON object", path)
	}
	return nil
}

// FindSecrets returns an error matching ErrSecretInFile, naming the
// members (never their values), when the JSON document holds a non-empty
// string under a secret's name ("password", "secret", ...) anywhere.
func FindSecrets(data []byte) error {
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		return err
	}
	var found []string
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				p := path + "." + k
				if s, ok := e.(string); ok && s != "" && isSecretKey(k) {
					found = append(found, strings.TrimPrefix(p, "."))
				}
				walk(p, e)
			}
		case []any:
			for i, e := range v {
				walk(fmt.Sprintf("%s[%d]", path, i), e)
			}
		}
	}
	walk("", doc)
	if len(found) == 0 {
		return nil
	}
	sort.Strings(found)
	return fmt.Errorf("%w: %s: remove it and name an environment variable in the matching *_env member instead", ErrSecretInFile, strings.Join(found, ", "))
}

func isSecretKey(k string) bool {
	k = strings.ToLower(k)
	for _, s := range secretKeys {
		if k == s {
			return true
		}
	}
	return false
}

// Duration is a time.Duration written in JSON as a string ("90s", "15m").
type Duration time.Duration

// UnmarshalJSON reads "90s"-style durations; negative ones are refused.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration must be a string such as \"90s\": %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	if v < 0 {
		return fmt.Errorf("duration %q is negative", s)
	}
	*d = Duration(v)
	return nil
}

// MarshalJSON writes the duration as a string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }
