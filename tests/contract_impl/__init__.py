"""An implementation of the course's worked examples written from spec/CONTRACT.md alone, so that
the suite can show the contract is enough to pass every implementation clause."""
