"""Due diligence: the check report, red flags and the timeline of a vendor (data in, data out)."""
