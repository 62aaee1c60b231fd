"""LiveReply models: embedders, FAISS index, intents, calibration and training. No SQL, no sockets."""
