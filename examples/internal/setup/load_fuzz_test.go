package setup

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// fuzzConfig holds the members of the programs' config files that are
// setup's types (examples/failover's fileConfig, examples/prepare-dr's
// config).
type fuzzConfig struct {
	Management      WinRM                  `json:"management"`
	EdgeServers     WinRM                  `json:"edge_servers"`
	Credentials     Credentials            `json:"credentials"`
	EdgeCredentials *Credentials           `json:"edge_credentials,omitempty"`
	DNSProviders    map[string]DNSProvider `json:"dns_providers"`
	SRVTTL          Duration               `json:"srv_ttl,omitempty"`
	TTL             Duration               `json:"ttl,omitempty"`
}

// fuzzSecretValues returns the string values held under a secret's name
// anywhere in doc (valid JSON).
func fuzzSecretValues(doc any) []string {
	var out []string
	switch v := doc.(type) {
	case map[string]any:
		for k, e := range v {
			if s, ok := e.(string); ok {
				for _, name := range secretKeys {
					if strings.EqualFold(k, name) {
						out = append(out, s)
					}
				}
			}
			out = append(out, fuzzSecretValues(e)...)
		}
	case []any:
		for _, e := range v {
			out = append(out, fuzzSecretValues(e)...)
		}
	}
	return out
}

// FuzzLoadJSON feeds config files to LoadJSON, as the example programs
// load theirs (seeds: the members of their sample configs that are setup's
// types). A file with a secret in clear is refused with ErrSecretInFile,
// and no error shows a value held under a secret's name; an accepted file
// decodes to a value that writes back to a file LoadJSON reads as the same
// value; durations are never negative. Run it with -fuzzminimizetime 1s:
// minimizing a sample config tries every cut, and takes the whole run at
// the default 60s.
func FuzzLoadJSON(f *testing.F) {
	for _, sample := range []string{"../../failover/config.sample.json", "../../prepare-dr/prepare-dr.sample.json"} {
		b, err := os.ReadFile(sample)
		if err != nil {
			f.Fatal(err)
		}
		var all map[string]json.RawMessage
		if err := json.Unmarshal(b, &all); err != nil {
			f.Fatal(err)
		}
		keep := map[string]json.RawMessage{}
		for k, v := range all {
			if jsonMember(k) {
				keep[k] = v
			}
		}
		seed, _ := json.MarshalIndent(keep, "", "  ")
		var c fuzzConfig
		if err := decodeStrict(seed, &c); err != nil {
			f.Fatalf("%s: %v", sample, err)
		}
		f.Add(seed)
	}
	for _, s := range []string{
		`{"credentials":{"username":"u","password_env":"PW"}}`,
		`{"credentials":{"username":"u","password":"hunter2-secret"}}`,
		`{"dns_providers":{"p":{"type":"rfc2136","secret":"c2VjcmV0c2VjcmV0"}}}`,
		`{"dns_providers":{"p":{"type":"x","settings":{"api_token":"tok-123456","n":[1,{"key_secret":"ks-abcdef"}]}}}}`,
		`{"srv_ttl":"-5m"}`, `{"srv_ttl":300}`, `{"ttl":"9223372036854775807ns"}`, `{"management":{"operation_timeout":"1h2m3.5s"}}`,
		`{"credentials":{"password":"hunter2-secret"` /* unterminated */, `{"management":{}} {}`, `{"nope":1}`,
	} {
		f.Add([]byte(s))
	}
	path := filepath.Join(f.TempDir(), "config.json")
	f.Fuzz(func(t *testing.T, doc []byte) {
		if err := os.WriteFile(path, doc, 0o600); err != nil {
			t.Fatal(err)
		}
		var c fuzzConfig
		err := LoadJSON(path, &c)
		if errors.Is(FindSecrets(doc), ErrSecretInFile) && !errors.Is(err, ErrSecretInFile) {
			t.Fatalf("FindSecrets finds a secret, LoadJSON says %v", err)
		}
		if err != nil {
			var tree any
			if json.Unmarshal(doc, &tree) == nil {
				for _, s := range fuzzSecretValues(tree) {
					if len(s) >= 6 && strings.Contains(err.Error(), s) {
						t.Fatalf("the error shows a secret %q: %v", s, err)
					}
				}
			}
			return
		}
		if !json.Valid(doc) {
			t.Fatalf("LoadJSON accepted %q, which is not JSON", doc)
		}
		for _, d := range []Duration{c.SRVTTL, c.TTL, c.Management.OperationTimeout, c.EdgeServers.OperationTimeout} {
			if d < 0 {
				t.Fatalf("negative duration %v accepted", time.Duration(d))
			}
		}
		for _, p := range c.DNSProviders {
			if p.Timeout < 0 {
				t.Fatalf("negative timeout %v accepted", time.Duration(p.Timeout))
			}
		}
		out, err := json.Marshal(&c)
		if err != nil {
			t.Fatalf("%+v does not encode: %v", c, err)
		}
		if err := os.WriteFile(path, out, 0o600); err != nil {
			t.Fatal(err)
		}
		var again fuzzConfig
		if err := LoadJSON(path, &again); err != nil {
			t.Fatalf("%q loads, its re-encoding %s does not: %v", doc, out, err)
		}
		if !reflect.DeepEqual(c, again) {
			t.Fatalf("%q loads as %+v, its re-encoding %s as %+v", doc, c, out, again)
		}
	})
}

// jsonMember reports whether fuzzConfig has a member named k.
func jsonMember(k string) bool {
	t := reflect.TypeFor[fuzzConfig]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == k {
			return true
		}
	}
	return false
}

// decodeStrict decodes as LoadJSON does, without a file.
func decodeStrict(b []byte, v any) error {
	if err := FindSecrets(b); err != nil {
		return err
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
