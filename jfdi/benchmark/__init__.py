"""The benchmark suite: manufacturing prompts through each provider (no fallback), every output
checked by machine (extraction, syntax, type-check, render in Chromium, the prompt's own
expectations in the rendered DOM), then a report. benchmarks/run.py is its command line; the
app's Benchmarks tab calls the same code."""
