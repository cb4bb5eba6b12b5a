/**
 * The caller side of Nexus: a workflow schedules an operation on an endpoint (by name, checked against the
 * endpoint's allowed callers), a task sends the start request to the endpoint's target namespace and task queue
 * and records the answer, a workflow-run operation's workflow reports its close back by callback, and timeouts,
 * retries and cancellation follow Temporal's caller state machine (components/nexusoperations).
 */
package dev.aeon.dataplane.history.nexusoperation;
