-- wrk script: prints one machine-readable line at the end of a run, read by bench/gateway.sh.
-- Latencies are in microseconds as wrk records them; non-2xx/3xx answers count as errors, so a proxy that
-- refuses the request cannot look fast.
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout
  io.write(string.format("wrk-result requests=%d seconds=%.3f rps=%.1f p50_us=%d p99_us=%d errors=%d\n",
      summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
      latency:percentile(50), latency:percentile(99), errors))
end
