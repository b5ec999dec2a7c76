"""Pages of the operations record, one module per thing served: projects, wells, stages, events."""
