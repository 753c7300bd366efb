"""The benchmark: our banner against three JavaScript banners, in headless Chromium and Lighthouse.

Run it with `make bench` or `.venv/bin/python -m benchmarks` (see README.md here)."""
