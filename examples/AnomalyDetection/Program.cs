// Anomaly detection: a VAE learns what normal rows of a table look like; rows it finds unlikely (a high negative
// ELBO) are flagged. Runs on generated server metrics, or on a CSV file of your own.
//   dotnet run --project examples/AnomalyDetection -c Release [-- --csv FILE --label-column NAME --threshold-quantile 0.95]
return Vae.MLNet.Examples.AnomalyCommand.Invoke(args);
