"""The importers' defaults that `--help` shows, apart from the importers themselves: every
command of the command line is defined at start-up, and importing the MLflow client (its
HTTP, TLS and answer models) and the Hugging Face importer for that cost every command,
`build` and `get` included, about 45 ms."""

HF_BY = "modelcards-import"  # who the first lifecycle event names
MLFLOW_BY = "mlflow"  # who stage events name
MLFLOW_PAGE_SIZE = 100  # models or versions asked for per request
