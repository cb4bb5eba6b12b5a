module aeon.dev/conformance

go 1.22
