/**
 * The time arithmetic of Temporal's Schedules, pure and database-free: {@link
 * dev.aeon.dataplane.schedule.spec.CompiledSpec} (compile a {@code ScheduleSpec}; next time with jitter; the times
 * ListScheduleMatchingTimes lists), {@link dev.aeon.dataplane.schedule.spec.SpecCanonicalizer} (the form
 * DescribeSchedule shows) and {@link dev.aeon.dataplane.schedule.spec.InvalidScheduleSpecException} (a spec
 * Temporal refuses, in its words). Every answer is Temporal's server's, DST and jitter included: the classes named
 * after Go ({@code ZoneClock}, {@code GoDurations}, {@code GoStrings}, {@code Fingerprint32}) reproduce the Go
 * behaviour those answers depend on. Of Aeon it uses {@code errors/} only (DataPlaneArchitectureTest).
 */
package dev.aeon.dataplane.schedule.spec;
