"""Training pipeline for spanguard's default model (a small GLiNER2 span-architecture model)."""
