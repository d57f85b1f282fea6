// ML.NET keeps the members that persist a transformer internal (dotnet/machinelearning #4911, #6839). We compile
// against publicized copies of these two assemblies (build/PublicizeMLNet.targets) and the runtime honours this
// attribute, so the calls reach the real, unmodified assemblies. Only Persistence/ (the model zip) and Onnx/ (ML.NET's
// ONNX export) use those internals.
[assembly: System.Runtime.CompilerServices.IgnoresAccessChecksTo("Microsoft.ML.Core")]
[assembly: System.Runtime.CompilerServices.IgnoresAccessChecksTo("Microsoft.ML.Data")]

namespace System.Runtime.CompilerServices;

/// <summary>Lets this assembly reach the internals of the named assembly (honoured by the .NET runtime).</summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
internal sealed class IgnoresAccessChecksToAttribute(string assemblyName) : Attribute
{
    /// <summary>The assembly whose internals are reached.</summary>
    public string AssemblyName { get; } = assemblyName;
}
