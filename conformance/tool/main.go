// Command tool is the conformance runner's logic: list the suite's tests, run them through the compiled suite
// binary, write docs/conformance.md and keep the ratchet (passing.txt). conformance/run drives it.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fail("usage: tool list|run|report|check ...")
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	dir := fs.String("dir", "", "the suite's package directory")
	bin := fs.String("bin", "", "the compiled suite binary")
	testsFile := fs.String("tests", "", "file of test ids to run or report (one a line)")
	resultsFile := fs.String("results", "", "results file (JSON)")
	jsonLog := fs.String("json-log", "", "where go test -json events are appended")
	testLimit := fs.Duration("test-limit", 4*time.Minute, "longest one test may run before the suite binary is stopped")
	naFile := fs.String("not-applicable", "", "not-applicable classification (TSV: regexp, reason)")
	knownFile := fs.String("known-failures", "", "known failure causes (TSV: regexp, cause)")
	passingFile := fs.String("passing", "", "the ratchet: tests that pass")
	sliceFile := fs.String("slice", "", "the CI slice of the ratchet")
	sliceSeconds := fs.Float64("slice-seconds", 2, "a passing test faster than this joins the CI slice")
	out := fs.String("out", "", "markdown report to write")
	var meta metaFlags
	fs.Var(&meta, "meta", "name=value shown in the report's header (repeatable)")
	_ = fs.Parse(os.Args[2:])

	switch os.Args[1] {
	case "list":
		ids, err := listTests(*dir)
		check(err)
		for _, id := range ids {
			fmt.Println(id)
		}
	case "applicable":
		ids, err := readLines(*testsFile)
		check(err)
		na, err := readClassification(*naFile)
		check(err)
		for _, id := range ids {
			if _, ok := na.match(id); !ok {
				fmt.Println(id)
			}
		}
	case "run":
		ids, err := readLines(*testsFile)
		check(err)
		log, err := os.OpenFile(*jsonLog, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		check(err)
		defer log.Close()
		check(writeResults(*resultsFile, runTests(*bin, *dir, ids, *testLimit, log)))
	case "report":
		ids, err := readLines(*testsFile)
		check(err)
		results, err := readResults(*resultsFile)
		check(err)
		na, err := readClassification(*naFile)
		check(err)
		known, err := readClassification(*knownFile)
		check(err)
		regressions, err := report(ids, results, na, known, meta, *out, *passingFile, *sliceFile, *sliceSeconds)
		check(err)
		if len(regressions) > 0 {
			fmt.Fprintf(os.Stderr, "conformance: %d test(s) of %s no longer pass:\n", len(regressions), *passingFile)
			for _, id := range regressions {
				fmt.Fprintf(os.Stderr, "  %s: %s\n", id, results[id].Message)
			}
			os.Exit(1)
		}
	case "check":
		ids, err := readLines(*testsFile)
		check(err)
		results, err := readResults(*resultsFile)
		check(err)
		failed := 0
		for _, id := range ids {
			if r := results[id]; r.Status != "pass" {
				failed++
				fmt.Fprintf(os.Stderr, "  %s: %s %s\n", id, orMissing(r.Status), r.Message)
			}
		}
		if failed > 0 {
			fmt.Fprintf(os.Stderr, "conformance: %d of %d ratchet test(s) did not pass\n", failed, len(ids))
			os.Exit(1)
		}
		fmt.Printf("conformance: all %d ratchet test(s) passed\n", len(ids))
	default:
		fail("unknown command " + os.Args[1])
	}
}

func orMissing(status string) string {
	if status == "" {
		return "no result"
	}
	return status
}

func check(err error) {
	if err != nil {
		fail(err.Error())
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "conformance:", msg)
	os.Exit(2)
}
