namespace Vae.MLNet.Torch.Modules;

/// <summary>Runs its modules one after another; they are registered as "0", "1", ... (or by given names).</summary>
public sealed class Sequential : torch.nn.Module<torch.Tensor, torch.Tensor>
{
    private readonly List<torch.nn.Module<torch.Tensor, torch.Tensor>> _layers = new();

    /// <summary>Creates an empty sequence; add modules with append.</summary>
    public Sequential() : base(nameof(Sequential)) { }

    /// <summary>Creates the sequence from modules named by position.</summary>
    public Sequential(params torch.nn.Module<torch.Tensor, torch.Tensor>[] modules) : base(nameof(Sequential))
    {
        foreach (var module in modules) append(module);
    }

    /// <summary>Creates the sequence from named modules.</summary>
    public Sequential(params (string name, torch.nn.Module<torch.Tensor, torch.Tensor> module)[] modules) : base(nameof(Sequential))
    {
        foreach (var (name, module) in modules) append(name, module);
    }

    /// <summary>Adds a module at the end, named by its position.</summary>
    public Sequential append(torch.nn.Module<torch.Tensor, torch.Tensor> module) => append(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);

    /// <summary>Adds a named module at the end.</summary>
    public Sequential append(string name, torch.nn.Module<torch.Tensor, torch.Tensor> module)
    {
        register_module(name, module);
        _layers.Add(module);
        return this;
    }

    /// <summary>The number of modules.</summary>
    public int Count => _layers.Count;

    /// <summary>The module at a position.</summary>
    public torch.nn.Module<torch.Tensor, torch.Tensor> this[int index] => _layers[index];

    /// <inheritdoc/>
    public override torch.Tensor forward(torch.Tensor input) => forward(input, start: 0);

    /// <summary>Runs the modules from position start on (for callers that computed the first ones another way).</summary>
    internal torch.Tensor forward(torch.Tensor input, int start)
    {
        // Intermediate results are freed as soon as the next layer has consumed them, unless autograd needs them
        // (it keeps its own references, so disposing the managed handles is always safe).
        var x = input;
        for (int i = start; i < _layers.Count; i++)
        {
            var next = _layers[i].forward(x);
            if (!ReferenceEquals(x, input) && !ReferenceEquals(x, next)) x.Dispose();
            x = next;
        }
        return ReferenceEquals(x, input) ? input.alias() : x;
    }
}
