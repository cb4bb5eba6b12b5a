/**
 * A run from start to close: starts (client, signal-with-start, child), how a run begins ({@code NewRuns},
 * {@code RunSpec}), chains of runs (retry, cron, continue-as-new), close and retention, signal / cancel / terminate
 * / delete / describe, history reads and namespace purges.
 *
 * <p>Why this package is slightly over 1,500 lines: those are one lifecycle (a run's), with one file per operation;
 * splitting starts from chains would put {@code NewRuns}, which both use, in a package of its own for no reader's
 * gain.
 */
package dev.aeon.dataplane.history.run;
