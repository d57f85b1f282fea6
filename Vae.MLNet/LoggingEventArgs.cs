namespace Vae.MLNet;

/// <summary>The severity of a log message.</summary>
public enum ChannelMessageKind
{
    /// <summary>Detailed progress.</summary>
    Trace,

    /// <summary>Information.</summary>
    Info,

    /// <summary>Something unexpected that did not stop the work.</summary>
    Warning,

    /// <summary>An error.</summary>
    Error,
}

/// <summary>A message written to <see cref="MLContext.Log"/>.</summary>
public sealed class LoggingEventArgs : EventArgs
{
    /// <summary>A message without source, of kind <see cref="ChannelMessageKind.Info"/>.</summary>
    public LoggingEventArgs(string message) : this(message, ChannelMessageKind.Info, "")
    {
    }

    /// <summary>A message of <paramref name="kind"/> from <paramref name="source"/>.</summary>
    public LoggingEventArgs(string message, ChannelMessageKind kind, string source)
    {
        RawMessage = message ?? "";
        Kind = kind;
        Source = source ?? "";
    }

    /// <summary>The component that wrote the message.</summary>
    public string Source { get; }

    /// <summary>The severity.</summary>
    public ChannelMessageKind Kind { get; }

    /// <summary>The message as written.</summary>
    public string RawMessage { get; }

    /// <summary>The message with its source and kind: <c>[Source=..., Kind=...] message</c>.</summary>
    public string Message => $"[Source={Source}, Kind={Kind}] {RawMessage}";
}

/// <summary>Writes messages from one component to <see cref="MLContext.Log"/>; get one from <see cref="MLContext.CreateChannel"/>.</summary>
public sealed class LoggingChannel
{
    private readonly MLContext _context;

    internal LoggingChannel(MLContext context, string source)
    {
        _context = context;
        Source = source;
    }

    /// <summary>The component name shown as the messages' source.</summary>
    public string Source { get; }

    /// <summary>Writes a message of <paramref name="kind"/>.</summary>
    public void Send(ChannelMessageKind kind, string message) => _context.Write(kind, Source, message);

    /// <summary>Writes a trace message.</summary>
    public void Trace(string message) => Send(ChannelMessageKind.Trace, message);

    /// <summary>Writes an informational message.</summary>
    public void Info(string message) => Send(ChannelMessageKind.Info, message);

    /// <summary>Writes a warning.</summary>
    public void Warning(string message) => Send(ChannelMessageKind.Warning, message);

    /// <summary>Writes an error message.</summary>
    public void Error(string message) => Send(ChannelMessageKind.Error, message);
}
