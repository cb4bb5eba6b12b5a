package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Result is one tracked test's outcome.
type Result struct {
	Status  string  `json:"status"` // pass, fail, skip
	Seconds float64 `json:"seconds"`
	Message string  `json:"message,omitempty"`
}

type testEvent struct {
	Action  string
	Test    string
	Elapsed float64
	Output  string
}

// runTests runs the tests through the compiled suite binary, one invocation per suite (and one for the plain
// tests), so one suite's crash or timeout costs only that suite; a test that crashes the binary is recorded as
// failed and the rest of its group runs again without it.
func runTests(bin, dir string, tests []string, testLimit time.Duration, jsonLog io.Writer) map[string]Result {
	results := map[string]Result{}
	for _, group := range groups(tests) {
		remaining := group
		for len(remaining) > 0 {
			started, err := runOnce(bin, dir, remaining, testLimit, jsonLog, results)
			var next []string
			for _, id := range remaining {
				if _, done := results[id]; done {
					continue
				}
				if out, ok := started[id]; ok {
					msg := lastLines(out, 3)
					if !strings.HasPrefix(msg, "hung:") {
						msg = "crashed the test binary: " + crashCause(out)
					}
					results[id] = Result{Status: "fail", Message: msg}
					fmt.Printf("FAIL %s: %s\n", id, msg)
					continue
				}
				next = append(next, id)
			}
			if len(next) == len(remaining) {
				for _, id := range next {
					results[id] = Result{Status: "fail", Message: fmt.Sprintf("never ran: the test binary ended first (%v)", err)}
				}
				break
			}
			remaining = next
		}
	}
	return results
}

// crashCause finds the panic that ended the binary, else its last words.
func crashCause(out []string) string {
	for _, line := range out {
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "panic:") {
			return truncate(t, 300)
		}
	}
	return lastLines(out, 3)
}

// groups puts the methods of each suite together and every plain test into one group.
func groups(tests []string) [][]string {
	bySuite := map[string][]string{}
	var plain, order []string
	for _, id := range tests {
		top, _, isMethod := strings.Cut(id, "/")
		if !isMethod {
			plain = append(plain, id)
			continue
		}
		if _, seen := bySuite[top]; !seen {
			order = append(order, top)
		}
		bySuite[top] = append(bySuite[top], id)
	}
	var out [][]string
	if len(plain) > 0 {
		out = append(out, plain)
	}
	for _, top := range order {
		out = append(out, bySuite[top])
	}
	return out
}

func runPattern(group []string) string {
	var names []string
	top := ""
	for _, id := range group {
		t, m, isMethod := strings.Cut(id, "/")
		if !isMethod {
			names = append(names, regexp.QuoteMeta(id))
			continue
		}
		top = t
		names = append(names, regexp.QuoteMeta(m))
	}
	if top == "" {
		return "^(" + strings.Join(names, "|") + ")$"
	}
	return "^" + regexp.QuoteMeta(top) + "$/^(" + strings.Join(names, "|") + ")$"
}

// runOnce runs one invocation, records the tracked tests that finished, and answers those that started but
// did not finish (with their output) and how the binary ended. A test still running after testLimit (some of the
// suite's waits have no deadline) stops the binary.
func runOnce(bin, dir string, group []string, testLimit time.Duration, jsonLog io.Writer, results map[string]Result) (map[string][]string, error) {
	tracked := map[string]bool{}
	for _, id := range group {
		tracked[id] = true
	}
	cmd := exec.Command("go", "tool", "test2json", "-t", "-p", "test", bin, "-test.v=test2json",
		"-test.run", runPattern(group), "-test.count=1", "-test.timeout", "0")
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // test2json and the suite binary stop together
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	var mu sync.Mutex
	running := map[string]time.Time{}
	hung := ""
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			select {
			case <-done:
				return
			case <-time.After(5 * time.Second):
			}
			mu.Lock()
			for id, since := range running {
				if hung == "" && time.Since(since) > testLimit {
					hung = id
					_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
				}
			}
			mu.Unlock()
		}
	}()
	output := map[string][]string{}
	var binaryOutput []string // output outside any tracked test: setup failures, panics, timeouts
	scanner := bufio.NewScanner(stdout)
	scanner.Buffer(make([]byte, 1<<20), 16<<20)
	for scanner.Scan() {
		line := scanner.Bytes()
		_, _ = jsonLog.Write(append(append([]byte{}, line...), '\n'))
		var ev testEvent
		if json.Unmarshal(line, &ev) != nil {
			continue
		}
		id := trackedAncestor(ev.Test, tracked)
		if id == "" {
			if ev.Output != "" {
				binaryOutput = append(binaryOutput, ev.Output)
			}
			continue
		}
		switch {
		case ev.Action == "output":
			output[id] = append(output[id], ev.Output)
		case ev.Test == id && (ev.Action == "pass" || ev.Action == "fail" || ev.Action == "skip"):
			r := Result{Status: ev.Action, Seconds: ev.Elapsed, Message: message(ev.Action, output[id])}
			results[id] = r
			delete(output, id)
			mu.Lock()
			delete(running, id)
			mu.Unlock()
			fmt.Printf("%s %s (%.1fs)%s\n", strings.ToUpper(ev.Action), id, ev.Elapsed, oneLine(r.Message))
		case ev.Test == id && ev.Action == "run":
			output[id] = []string{}
			mu.Lock()
			running[id] = time.Now()
			mu.Unlock()
		}
	}
	waitErr := cmd.Wait()
	mu.Lock()
	defer mu.Unlock()
	if hung != "" {
		output[hung] = []string{fmt.Sprintf("hung: no result within %v, so the suite binary was stopped", testLimit)}
		binaryOutput = nil
	}
	for id := range output {
		output[id] = append(output[id], binaryOutput...)
	}
	if waitErr != nil && len(binaryOutput) > 0 {
		waitErr = fmt.Errorf("%v: %s", waitErr, lastLines(binaryOutput, 3))
	}
	return output, waitErr
}

func trackedAncestor(test string, tracked map[string]bool) string {
	for test != "" {
		if tracked[test] {
			return test
		}
		i := strings.LastIndex(test, "/")
		if i < 0 {
			return ""
		}
		test = test[:i]
	}
	return ""
}

var sourceLine = regexp.MustCompile(`^\s+\S+\.go:\d+: ?`)

// message keeps what a reader needs from a test's output: testify's error and messages, a panic, or a skip reason.
func message(status string, out []string) string {
	if status == "pass" {
		return ""
	}
	var parts []string
	location := ""
	for i, line := range out {
		t := strings.TrimSpace(line)
		switch {
		case sourceLine.MatchString(line):
			location = strings.TrimSuffix(strings.Fields(t)[0], ":") + ": "
		case strings.HasPrefix(t, "Error:"):
			msg := location + strings.TrimSpace(strings.TrimPrefix(t, "Error:"))
			for _, more := range out[i+1:] {
				m := strings.TrimSpace(more)
				if m == "" || strings.HasSuffix(m, ":") && !strings.Contains(m, " ") || strings.HasPrefix(m, "Test:") ||
					strings.HasPrefix(m, "Messages:") || strings.HasPrefix(m, "---") {
					break
				}
				msg += " " + m
			}
			parts = append(parts, msg)
		case strings.HasPrefix(t, "Messages:"):
			parts = append(parts, t)
		case strings.HasPrefix(t, "panic:"):
			parts = append(parts, t)
		}
		if len(parts) >= 3 {
			break
		}
	}
	if len(parts) == 0 {
		for i := len(out) - 1; i >= 0; i-- {
			if text := strings.TrimSpace(sourceLine.ReplaceAllString(out[i], "")); text != "" && sourceLine.MatchString(out[i]) {
				parts = append(parts, text)
				break
			}
		}
	}
	if len(parts) == 0 {
		parts = append(parts, lastLines(out, 2))
	}
	return truncate(strings.Join(parts, " | "), 400)
}

func lastLines(out []string, n int) string {
	var kept []string
	for i := len(out) - 1; i >= 0 && len(kept) < n; i-- {
		if t := strings.TrimSpace(out[i]); t != "" && !strings.HasPrefix(t, "---") && !strings.HasPrefix(t, "=== ") {
			kept = append([]string{t}, kept...)
		}
	}
	return truncate(strings.Join(kept, " / "), 400)
}

func truncate(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func oneLine(msg string) string {
	if msg == "" {
		return ""
	}
	return ": " + truncate(msg, 160)
}

func writeResults(path string, results map[string]Result) error {
	data, err := json.MarshalIndent(results, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

func readResults(path string) (map[string]Result, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	results := map[string]Result{}
	return results, json.Unmarshal(data, &results)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
