window.compareData = [{{ range $i, $p := .Pages }}{{ if $i }},{{ end }}
{{ jsonify (dict "version" $p.Params.card.version "metrics" $p.Params.card.metrics
"hyperparameters" $p.Params.card.training.hyperparameters) }}{{ end }}];
