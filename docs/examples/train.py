"""Train a tumour classifier on scikit-learn's copy of the Wisconsin breast cancer data.

Writes the model (model.joblib), its hyperparameters (params.json) and its metrics on the
held-out split, with a 95% bootstrap interval for the accuracy (metrics.json).
"""

import json

import joblib
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

SEED = 7
params = {"C": 0.1, "max_iter": 1000, "test_size": 0.3}

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=params["test_size"], random_state=SEED, stratify=y
)
model = make_pipeline(
    StandardScaler(), LogisticRegression(C=params["C"], max_iter=params["max_iter"])
)
model.fit(X_train, y_train)
predicted = model.predict(X_test)

rng = np.random.default_rng(SEED)
samples = [rng.integers(0, len(y_test), len(y_test)) for _ in range(1000)]
resampled = [accuracy_score(y_test[i], predicted[i]) for i in samples]
low, high = np.percentile(resampled, [2.5, 97.5])
dataset = "breast-cancer-wisconsin@uci-1995"
metrics = [
    {"name": "accuracy", "value": round(accuracy_score(y_test, predicted), 4),
     "dataset": dataset, "split": "test", "ci": [round(low, 4), round(high, 4)]},
    {"name": "auc", "value": round(roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]), 4),
     "dataset": dataset, "split": "test"},
]

joblib.dump(model, "model.joblib")
with open("params.json", "w") as stream:
    json.dump(params, stream, indent=2)
with open("metrics.json", "w") as stream:
    json.dump(metrics, stream, indent=2)
