package readme

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// programs are the example programs the docs run.
var programs = []string{"drill", "failover", "check", "prepare-dr", "lab"}

// docs are the documents whose commands TestGuideCommands checks.
var docs = []string{"docs/admin-guide.md", "README.md", "examples/failover/README.md"}

// TestGuideCommands builds the example programs and checks every command
// of the admin guide and the READMEs that runs one (`go run ./examples/X`
// or `bin/X`): each flag it passes is one the program's -h lists, and a
// subcommand is one its -h names. It also checks the guide's exit-code
// table against each program's -h: the same codes, no more, no fewer.
func TestGuideCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the example programs")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go on PATH to build the example programs")
	}
	root := filepath.Join("..", "..", "..")
	bin := t.TempDir()
	args := []string{"build", "-o", bin + string(filepath.Separator)}
	for _, p := range programs {
		args = append(args, "./examples/"+p)
	}
	build := exec.Command("go", args...)
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	help := map[string]string{}
	for _, p := range programs {
		var out bytes.Buffer
		cmd := exec.Command(filepath.Join(bin, p), "-h")
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s -h: %v\n%s", p, err, out.String())
		}
		help[p] = out.String()
	}

	checked := 0
	for _, doc := range docs {
		text, err := os.ReadFile(filepath.Join(root, doc))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range commands(string(text)) {
			h, ok := help[c.prog]
			if !ok {
				continue
			}
			checked++
			positional := 0
			for i := 0; i < len(c.args); i++ {
				a := c.args[i]
				switch {
				case a == "-h":
				case strings.HasPrefix(a, "-") && len(a) > 1:
					name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
					m := regexp.MustCompile(`(?m)^  -` + regexp.QuoteMeta(name) + `( \S+)?(\t|$)`).FindStringSubmatch(h)
					if m == nil {
						t.Errorf("%s: %q: %s has no flag -%s", doc, c.line, c.prog, name)
					} else if m[1] != "" && !hasValue {
						i++ // the flag's value
					}
				default:
					positional++
					if positional == 1 && isWord(a) && !regexp.MustCompile(`(?m)^\s+(`+c.prog+` .*)?`+regexp.QuoteMeta(a)+`\b`).MatchString(h) {
						t.Errorf("%s: %q: %s -h does not name the subcommand %q", doc, c.line, c.prog, a)
					}
				}
			}
		}
	}
	t.Logf("%d commands checked", checked)
	if checked < 20 {
		t.Errorf("only %d commands found in %v: the extraction is broken", checked, docs)
	}

	guide, _ := os.ReadFile(filepath.Join(root, "docs", "admin-guide.md"))
	table := map[string][]string{}
	for _, m := range regexp.MustCompile(`(?m)^\| ([a-z-]+) \| (\d) \|`).FindAllStringSubmatch(string(guide), -1) {
		table[m[1]] = append(table[m[1]], m[2])
	}
	for _, p := range programs {
		if got, want := table[p], exitCodes(help[p]); !slices.Equal(got, want) {
			t.Errorf("exit codes of %s: the guide's table has %v, %s -h says %v", p, got, p, want)
		}
	}
}

type command struct {
	line string
	prog string
	args []string
}

var progRef = regexp.MustCompile(`^(?:go run \./examples/|bin/)([a-z-]+)$`)

// commands finds the shell commands of text that run an example program:
// in indented blocks and fenced blocks, split at ; && | and &.
func commands(text string) []command {
	var out []command
	fenced := false
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "```") {
			fenced = !fenced
			continue
		}
		if !fenced && !strings.HasPrefix(line, "    ") {
			continue
		}
		code, _, _ := strings.Cut(line, "  #") // comments
		for _, part := range regexp.MustCompile(`;|&&|\||&`).Split(code, -1) {
			f := strings.Fields(part)
			var prog string
			var rest []string
			switch {
			case len(f) >= 3 && f[0] == "go" && f[1] == "run" && strings.HasPrefix(f[2], "./examples/"):
				prog, rest = strings.TrimPrefix(f[2], "./examples/"), f[3:]
			case len(f) >= 1 && progRef.MatchString(f[0]):
				prog, rest = progRef.FindStringSubmatch(f[0])[1], f[1:]
			default:
				continue
			}
			var args []string
			for _, a := range rest {
				if strings.HasPrefix(a, "$") || strings.HasPrefix(a, ">") || strings.HasPrefix(a, "'") {
					break // substitutions, redirections, quoted values
				}
				args = append(args, a)
			}
			out = append(out, command{line: strings.TrimSpace(line), prog: prog, args: args})
		}
	}
	return out
}

func isWord(s string) bool { return regexp.MustCompile(`^[a-z][a-z-]*$`).MatchString(s) }

// exitCodes returns the codes an -h text's "Exit codes" paragraph lists.
func exitCodes(help string) []string {
	_, para, ok := strings.Cut(help, "Exit codes")
	if !ok {
		return nil
	}
	para, _, _ = strings.Cut(para, "\n\n")
	var codes []string
	for _, m := range regexp.MustCompile(`(?:^|[\s;,:])(\d)\s+[A-Za-z(]`).FindAllStringSubmatch(para, -1) {
		if !slices.Contains(codes, m[1]) {
			codes = append(codes, m[1])
		}
	}
	return codes
}

// TestGuideConfigFragments checks the guide's JSON blocks: each parses,
// and each of its members is one that examples/failover's config declares
// (a json tag in config.go or in the setup package), so a fragment an
// admin copies is not refused as an unknown member.
func TestGuideConfigFragments(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	guide, err := os.ReadFile(filepath.Join(root, "docs", "admin-guide.md"))
	if err != nil {
		t.Fatal(err)
	}
	var src []byte
	for _, f := range []string{"examples/failover/config.go", "examples/internal/setup/winrm.go", "examples/internal/setup/dns.go"} {
		b, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		src = append(src, b...)
	}
	blocks := regexp.MustCompile("(?s)```json\n(.*?)```").FindAllStringSubmatch(string(guide), -1)
	if len(blocks) == 0 {
		t.Fatal("the guide has no JSON block")
	}
	for i, b := range blocks {
		var doc map[string]any
		if err := json.Unmarshal([]byte(b[1]), &doc); err != nil {
			t.Errorf("JSON block %d: %v", i+1, err)
			continue
		}
		var walk func(m map[string]any)
		walk = func(m map[string]any) {
			for k, v := range m {
				if !bytes.Contains(src, []byte(`json:"`+k+`"`)) && !bytes.Contains(src, []byte(`json:"`+k+`,`)) {
					t.Errorf("JSON block %d: member %q is declared nowhere in the failover config", i+1, k)
				}
				if sub, ok := v.(map[string]any); ok {
					walk(sub)
				}
			}
		}
		walk(doc)
	}
}
