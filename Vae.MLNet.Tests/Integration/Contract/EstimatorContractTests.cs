namespace Vae.MLNet.Tests.Integration.Contract;

/// <summary>
/// ML.NET's contract for estimators (<see cref="EstimatorContract"/>) applied to the VAE (MLP, convolutional, batch
/// norm with an anomaly score and an in-place reconstruction, conditional), the autoencoder, and ML.NET's PCA as the
/// control. One result per estimator and check, so a failure names both.
/// </summary>
[TestClass]
public sealed class EstimatorContractTests
{
    // Each case is fitted once, when its first check runs (the checks of a class run one after another).
    private static readonly Dictionary<string, Lazy<EstimatorContract>> Fitted =
        ContractCases.All.ToDictionary(c => c.Name, c => new Lazy<EstimatorContract>(() => new EstimatorContract(c)));

    /// <summary>Every estimator with every check.</summary>
    public static IEnumerable<object[]> EstimatorsAndChecks =>
        from c in ContractCases.All from check in EstimatorContract.CheckNames select new object[] { c.Name, check };

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DynamicData(nameof(EstimatorsAndChecks))]
    public void EstimatorKeepsMLNetsContract(string estimator, string check)
    {
        var contract = Fitted[estimator].Value;
        try
        {
            contract.Run(check);
        }
        finally
        {
            TestContext.WriteLine($"{estimator} {check}: largest relative difference {contract.LargestDifference:E2}; {string.Join("; ", contract.Notes)}");
        }
    }

    [ClassCleanup]
    public static void DisposeModels()
    {
        foreach (var fitted in Fitted.Values)
            if (fitted.IsValueCreated) fitted.Value.Dispose();
    }
}
