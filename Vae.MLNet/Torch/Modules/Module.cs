using System.Reflection;
using Vae.MLNet.Torch.Modules;
using Vae.MLNet.Torch.Native;

namespace Vae.MLNet.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// The base of every network component: it registers parameters, buffers and submodules by name, which
        /// gives parameters(), state_dict(), train()/eval(), to(device) and saving for free.
        /// </summary>
        public abstract class Module : IDisposable
        {
            private readonly OrderedDictionary<string, Parameter?> _parameters = new();
            private readonly OrderedDictionary<string, Tensor?> _buffers = new();
            private readonly HashSet<string> _nonPersistentBuffers = new();
            private readonly OrderedDictionary<string, Module> _modules = new();
            private readonly string _name;

            /// <summary>Creates a module with a type name used in messages.</summary>
            protected Module(string name) => _name = name;

            /// <summary>The module's type name.</summary>
            public string GetName() => _name;

            /// <summary>True in training mode (dropout active, batch norm uses batch statistics).</summary>
            public bool training { get; private set; } = true;

            /// <summary>Registers a parameter (or an absent one, as null) under a name.</summary>
            public void register_parameter(string name, Parameter? parameter) => _parameters[CheckName(name)] = parameter;

            /// <summary>Registers a buffer: state that is saved but not trained (e.g. running statistics).</summary>
            public void register_buffer(string name, Tensor? tensor, bool persistent = true)
            {
                tensor?.DetachFromDisposeScope();
                _buffers[CheckName(name)] = tensor;
                if (!persistent) _nonPersistentBuffers.Add(name);
            }

            /// <summary>Registers a submodule under a name.</summary>
            public void register_module(string name, Module module) => _modules[CheckName(name)] = module ?? throw new ArgumentNullException(nameof(module));

            /// <summary>Registers every Parameter and Module field of the derived class, named after the field.</summary>
            protected void RegisterComponents()
            {
                for (var type = GetType(); type is not null && type != typeof(Module); type = type.BaseType)
                {
                    foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    {
                        string name = field.Name.TrimStart('_');
                        switch (field.GetValue(this))
                        {
                            case Parameter p when !_parameters.ContainsKey(name): register_parameter(name, p); break;
                            case Module m when !_modules.ContainsKey(name): register_module(name, m); break;
                        }
                    }
                }
            }

            private string CheckName(string name)
            {
                if (string.IsNullOrEmpty(name) || name.Contains('.'))
                    throw new ArgumentException($"'{name}' is not a valid name in {_name}: names are non-empty and contain no '.'.", nameof(name));
                if (_parameters.ContainsKey(name) || _buffers.ContainsKey(name) || _modules.ContainsKey(name))
                    throw new ArgumentException($"{_name} already has a component named '{name}'.", nameof(name));
                return name;
            }

            /// <summary>The direct submodules with their names.</summary>
            public IEnumerable<(string name, Module module)> named_children() => _modules.Select(kv => (kv.Key, kv.Value));

            /// <summary>The direct submodules.</summary>
            public IEnumerable<Module> children() => _modules.Values;

            /// <summary>This module and every module below it, with dotted names ("" for this one).</summary>
            public IEnumerable<(string name, Module module)> named_modules()
            {
                yield return ("", this);
                foreach (var (childName, child) in named_children())
                    foreach (var (name, module) in child.named_modules())
                        yield return (name.Length == 0 ? childName : $"{childName}.{name}", module);
            }

            /// <summary>This module and every module below it.</summary>
            public IEnumerable<Module> modules() => named_modules().Select(m => m.module);

            /// <summary>The parameters, with dotted names, of this module and (by default) its submodules.</summary>
            public IEnumerable<(string name, Parameter parameter)> named_parameters(bool recurse = true) =>
                Named(m => m._parameters.Where(kv => kv.Value is not null).Select(kv => (kv.Key, kv.Value!)), recurse);

            /// <summary>The parameters of this module and (by default) its submodules.</summary>
            public IEnumerable<Parameter> parameters(bool recurse = true) => named_parameters(recurse).Select(p => p.parameter);

            /// <summary>The buffers, with dotted names.</summary>
            public IEnumerable<(string name, Tensor buffer)> named_buffers(bool recurse = true) =>
                Named(m => m._buffers.Where(kv => kv.Value is not null).Select(kv => (kv.Key, kv.Value!)), recurse);

            /// <summary>The buffers.</summary>
            public IEnumerable<Tensor> buffers(bool recurse = true) => named_buffers(recurse).Select(b => b.buffer);

            private IEnumerable<(string, T)> Named<T>(Func<Module, IEnumerable<(string, T)>> own, bool recurse)
            {
                foreach (var item in own(this)) yield return item;
                if (!recurse) yield break;
                foreach (var (childName, child) in named_children())
                    foreach (var (name, value) in child.Named(own, true))
                        yield return ($"{childName}.{name}", value);
            }

            /// <summary>Parameters and persistent buffers by dotted name; the tensors are the live ones, not copies.</summary>
            public Dictionary<string, Tensor> state_dict()
            {
                var result = new Dictionary<string, Tensor>();
                foreach (var (name, p) in named_parameters()) result[name] = p;
                foreach (var (prefix, module) in named_modules())
                    foreach (var (name, buffer) in module._buffers)
                        if (buffer is not null && !module._nonPersistentBuffers.Contains(name))
                            result[prefix.Length == 0 ? name : $"{prefix}.{name}"] = buffer;
                return result;
            }

            /// <summary>
            /// Copies values from source into this module's parameters and buffers (keeping their identity, so an
            /// optimizer built on them stays valid). With strict, missing or unexpected names are an error.
            /// </summary>
            public (IList<string> missing_keys, IList<string> unexpected_keys) load_state_dict(IReadOnlyDictionary<string, Tensor> source, bool strict = true)
            {
                ArgumentNullException.ThrowIfNull(source);
                var own = state_dict();
                var missing = own.Keys.Where(k => !source.ContainsKey(k)).ToList();
                var unexpected = source.Keys.Where(k => !own.ContainsKey(k)).ToList();
                if (strict && (missing.Count > 0 || unexpected.Count > 0))
                    throw new ArgumentException($"The state does not match {_name}: missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", unexpected)}].", nameof(source));
                foreach (var (name, target) in own)
                {
                    if (!source.TryGetValue(name, out var value)) continue;
                    long[] expected = target.shape, actual = value.shape;
                    if (!expected.SequenceEqual(actual))
                        throw new ArgumentException($"State entry '{name}' has shape {Tensor.ShapeString(actual)} but {_name} expects {Tensor.ShapeString(expected)}.", nameof(source));
                    using var noGrad = no_grad();
                    using var scope = NewDisposeScope();
                    target.copy_(value);
                }
                return (missing, unexpected);
            }

            /// <summary>Sets training mode on this module and its submodules.</summary>
            public virtual Module train(bool on = true)
            {
                foreach (var module in modules()) module.training = on;
                return this;
            }

            /// <summary>Sets evaluation mode (train(false)).</summary>
            public Module eval() => train(false);

            /// <summary>Drops (by default) or zeroes the gradients of every parameter.</summary>
            public void zero_grad(bool set_to_none = true)
            {
                foreach (var p in parameters())
                {
                    if (set_to_none) { p.clear_grad(); continue; }
                    using var g = p.grad;
                    g?.zero_();
                }
            }

            /// <summary>Moves parameters and buffers to a device, keeping their identity.</summary>
            public Module to(Device device)
            {
                device.EnsureAvailable();
                return Convert(t => t.to(device));
            }

            /// <summary>Converts floating parameters and buffers to another element type, keeping their identity.</summary>
            public Module to(ScalarType type) =>
                Convert(t => t.dtype is ScalarType.Float16 or ScalarType.Float32 or ScalarType.Float64 or ScalarType.BFloat16 ? t.to(type) : t.clone());

            private Module Convert(Func<Tensor, Tensor> convert)
            {
                using var noGrad = no_grad();
                foreach (var tensor in parameters().Cast<Tensor>().Concat(buffers()))
                {
                    using var scope = NewDisposeScope();
                    var converted = convert(tensor);
                    NativeMethods.Check(NativeMethods.vae_tensor_set_data(tensor.Handle, converted.Handle), $"moving a tensor of {_name}");
                }
                return this;
            }

            /// <summary>Writes the state dict to a file in the binary tensor layout of <see cref="TensorSerializer"/>.</summary>
            public Module save(string path)
            {
                using var stream = File.Create(path);
                return save(stream);
            }

            /// <summary>Writes the state dict to a stream.</summary>
            public Module save(Stream stream)
            {
                TensorSerializer.Write(stream, state_dict());
                return this;
            }

            /// <summary>Reads a state dict written by save and loads it (strictly).</summary>
            public Module load(string path)
            {
                using var stream = File.OpenRead(path);
                return load(stream);
            }

            /// <summary>Reads a state dict from a stream and loads it (strictly).</summary>
            public Module load(Stream stream)
            {
                using var scope = NewDisposeScope();
                load_state_dict(TensorSerializer.Read(stream));
                return this;
            }

            /// <summary>Frees the native memory of every parameter and buffer, here and below.</summary>
            public void Dispose()
            {
                Dispose(true);
                GC.SuppressFinalize(this);
            }

            /// <summary>Disposes parameters, buffers and submodules.</summary>
            protected virtual void Dispose(bool disposing)
            {
                if (!disposing) return;
                foreach (var p in _parameters.Values) p?.Dispose();
                foreach (var b in _buffers.Values) b?.Dispose();
                foreach (var m in _modules.Values) m.Dispose();
            }

            /// <summary>The module's type name.</summary>
            public override string ToString() => _name;
        }

        /// <summary>A module with a typed forward pass.</summary>
        public abstract class Module<T, TResult> : Module
        {
            /// <summary>Creates a module with a type name used in messages.</summary>
            protected Module(string name) : base(name) { }

            /// <summary>The computation of the module.</summary>
            public abstract TResult forward(T input);

            /// <summary>Runs forward (TorchSharp's call).</summary>
            public TResult call(T input) => forward(input);
        }
    }
}
