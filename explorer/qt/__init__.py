"""Qt models and controllers: QObjects over the storage layer, no widgets."""
