namespace Vae.MLNet.Trainers;

/// <summary>The hyperparameters of one SDCA run, resolved from options and defaults.</summary>
internal sealed record SdcaSettings(
    double L2, double L1Threshold, int MaxIterations, double Tolerance, double BiasLearningRate, bool Shuffle, int CheckFrequency);

/// <summary>
/// Stochastic dual coordinate ascent (Shalev-Shwartz and Zhang, 2013) for linear models with K outputs, with the
/// proximal step for elastic-net regularization of their later paper (Accelerated Prox-SDCA, 2014).
/// </summary>
/// <remarks>
/// Primal: <c>P = (1/n) sum_i s_i l(z_i) + lambda (|w|^2 / 2 + tau |w|_1)</c> with <c>z_ic = w_c . (x_i, 1) + u_c</c>:
/// each output's weight vector carries a regularized bias as its last entry, and <c>u</c> is an unregularized bias.
/// The dual keeps <c>v = (1/(lambda n)) sum_i s_i alpha_i (x_i, 1)</c> and <c>w = soft_threshold(v, tau)</c>, and its
/// objective is <c>D = (1/n) sum_i s_i D(alpha_i) - lambda |w|^2 / 2 - lambda u . v_bias</c>; <c>P - D</c> bounds the
/// suboptimality. When the bias learning rate is positive, each update also moves a share of the regularized bias
/// into <c>u</c> by shifting the row's dual (the successive over-relaxation of Zhang (2002), as ML.NET does), so at
/// convergence the bias is effectively unregularized. The returned model is the one with the lowest primal seen.
/// </remarks>
internal sealed class SdcaCoordinateAscent
{
    private readonly ISdcaLoss _loss;
    private readonly int _outputs;
    private readonly SdcaSettings _settings;

    public SdcaCoordinateAscent(ISdcaLoss loss, int outputCount, SdcaSettings settings)
    {
        _loss = loss;
        _outputs = outputCount;
        _settings = settings;
    }

    /// <summary>
    /// Trains on <paramref name="data"/>; returns per output the weights followed by the total bias, and a summary.
    /// </summary>
    public (double[][] Weights, SdcaSummary Summary) Run(ITrainingRows data, Random random)
    {
        var state = new State(data.FeatureCount, _outputs, data.RowCount, _settings);
        double[][]? best = null;
        int bestIteration = 0, iteration = 0;
        double bestPrimal = double.PositiveInfinity;
        bool converged = false;
        var checks = new List<SdcaCheck>();
        while (iteration < _settings.MaxIterations && !converged)
        {
            data.ForEach((row, x, label, weight) => Update(state, row, x, label, weight), _settings.Shuffle ? random : null);
            iteration++;
            if (_settings.CheckFrequency <= 0 || iteration % _settings.CheckFrequency != 0)
                continue;
            var check = Check(state, data, iteration);
            checks.Add(check);
            converged = check.DualityGap <= _settings.Tolerance * check.Primal;
            if (check.Primal < bestPrimal)
                (bestPrimal, bestIteration, best) = (check.Primal, iteration, state.Snapshot());
        }
        var model = best ?? state.Snapshot();
        return (model, new SdcaSummary(_settings.L2, _settings.L1Threshold, _settings.MaxIterations, iteration, converged, bestIteration, checks));
    }

    private void Update(State state, int row, ReadOnlySpan<float> x, float label, float weight)
    {
        double s = _loss.Weight(label, weight);
        if (s == 0)
            return;
        int d = state.Features;
        double scale = s * state.LambdaNInverse;
        state.Outputs(x, state.Scores);
        var dual = state.Duals.AsSpan(row * _outputs, _outputs);
        dual.CopyTo(state.OldDual);
        _loss.MaximizeDual(state.Scores, label, dual, scale * (VectorMath.SquaredNorm(x) + 1));
        if (_settings.BiasLearningRate > 0)
        {
            double rate = _settings.BiasLearningRate * _settings.L2;
            for (int c = 0; c < _outputs; c++)
                state.Shift[c] = rate * state.V[c][d];
            double fraction = _loss.FeasibleShift(dual, state.Shift, label);
            for (int c = 0; c < _outputs; c++)
            {
                dual[c] -= fraction * state.Shift[c];
                state.Unregularized[c] += fraction * state.Shift[c] * scale;
            }
        }
        for (int c = 0; c < _outputs; c++)
        {
            double step = (dual[c] - state.OldDual[c]) * scale;
            if (step == 0)
                continue;
            VectorMath.AddScaled(state.V[c], step, x);
            state.V[c][d] += step;
            state.Threshold(c);
        }
    }

    private SdcaCheck Check(State state, ITrainingRows data, int iteration)
    {
        double loss = 0, dualLoss = 0;
        data.ForEach((row, x, label, weight) =>
        {
            double s = _loss.Weight(label, weight);
            if (s == 0)
                return;
            state.Outputs(x, state.Scores);
            loss += s * _loss.Loss(state.Scores, label);
            dualLoss += s * _loss.DualLoss(state.Duals.AsSpan(row * _outputs, _outputs), label);
        });
        double squared = 0, absolute = 0, biasCoupling = 0;
        int d = state.Features;
        for (int c = 0; c < _outputs; c++)
        {
            foreach (double w in state.W[c])
            {
                squared += w * w;
                absolute += Math.Abs(w);
            }
            biasCoupling += state.Unregularized[c] * state.V[c][d];
        }
        double lambda = _settings.L2, n = data.RowCount;
        double primal = loss / n + lambda * (squared / 2 + _settings.L1Threshold * absolute);
        double dualObjective = dualLoss / n - lambda * squared / 2 - lambda * biasCoupling;
        return new SdcaCheck(iteration, primal, dualObjective);
    }

    /// <summary>The evolving primal and dual variables of a run, plus per-row scratch.</summary>
    private sealed class State
    {
        private readonly double _tau;

        public State(int features, int outputs, int rows, SdcaSettings settings)
        {
            Features = features;
            _tau = settings.L1Threshold;
            LambdaNInverse = 1 / (settings.L2 * rows);
            if ((long)rows * outputs > Array.MaxLength)
                throw new ArgumentException($"{rows} rows x {outputs} outputs exceed the dual table's capacity of {Array.MaxLength}.");
            Duals = new double[rows * outputs];
            V = NewMatrix(outputs, features + 1);
            W = _tau == 0 ? V : NewMatrix(outputs, features + 1);
            Unregularized = new double[outputs];
            Scores = new double[outputs];
            OldDual = new double[outputs];
            Shift = new double[outputs];
        }

        public int Features { get; }
        public double LambdaNInverse { get; }
        public double[] Duals { get; }
        public double[][] V { get; }
        public double[][] W { get; }
        public double[] Unregularized { get; }
        public double[] Scores { get; }
        public double[] OldDual { get; }
        public double[] Shift { get; }

        public void Outputs(ReadOnlySpan<float> x, double[] scores)
        {
            for (int c = 0; c < scores.Length; c++)
                scores[c] = VectorMath.Dot(x, W[c]) + W[c][Features] + Unregularized[c];
        }

        /// <summary>Refreshes output <paramref name="c"/>'s weights as the soft threshold of its dual image.</summary>
        public void Threshold(int c)
        {
            if (_tau == 0)
                return;
            for (int j = 0; j < V[c].Length; j++)
                W[c][j] = Math.Sign(V[c][j]) * Math.Max(Math.Abs(V[c][j]) - _tau, 0);
        }

        /// <summary>Copies the current weights with the bias entry holding the total (regularized plus unregularized) bias.</summary>
        public double[][] Snapshot()
        {
            var copy = new double[W.Length][];
            for (int c = 0; c < W.Length; c++)
            {
                copy[c] = (double[])W[c].Clone();
                copy[c][Features] += Unregularized[c];
            }
            return copy;
        }

        private static double[][] NewMatrix(int rows, int columns)
        {
            var m = new double[rows][];
            for (int i = 0; i < rows; i++)
                m[i] = new double[columns];
            return m;
        }
    }
}
