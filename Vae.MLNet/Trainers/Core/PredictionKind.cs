using Vae.MLNet.Data;
using Vae.MLNet.Transforms;

namespace Vae.MLNet.Trainers;

/// <summary>Reads the current row's label as the solvers want it; false when the label is missing and the row is skipped.</summary>
internal delegate bool LabelGetter(out float label);

/// <summary>
/// What differs between the prediction tasks on the training side: the label type a trainer accepts, how a label
/// becomes the float the solvers read, and the columns the trained model adds.
/// </summary>
internal abstract class PredictionKind
{
    /// <summary>Boolean labels (true = 1, false = 0); adds Score, Probability and PredictedLabel.</summary>
    public static PredictionKind Binary { get; } = new BinaryKind();

    /// <summary>Key labels (key k = class k - 1, key 0 = missing); adds Score (per class) and PredictedLabel (a key).</summary>
    public static PredictionKind Multiclass { get; } = new MulticlassKind();

    /// <summary>Single labels (NaN = missing); adds Score.</summary>
    public static PredictionKind Regression { get; } = new RegressionKind();

    /// <summary>The number of classes of a multiclass label column: its key count.</summary>
    public static int ClassCount(DataViewSchema.Column label) => checked((int)((KeyDataViewType)label.Type).Count);

    /// <summary>What the label column must hold, for error messages.</summary>
    public abstract string LabelExpectation { get; }

    /// <summary>The shape of a label column named <paramref name="name"/>.</summary>
    public abstract SchemaShape.Column LabelShape(string name);

    /// <summary>Whether a label column of <paramref name="type"/> is accepted.</summary>
    public abstract bool Accepts(DataViewType type);

    /// <summary>The label reader for <paramref name="column"/> (active) of <paramref name="row"/>.</summary>
    public abstract LabelGetter MakeLabelGetter(DataViewRow row, DataViewSchema.Column column);

    /// <summary>The columns a trained model adds, given the label column's shape.</summary>
    public abstract IEnumerable<SchemaShape.Column> OutputShapes(SchemaShape.Column label);

    /// <summary>The label column <paramref name="name"/>, checked.</summary>
    public DataViewSchema.Column FindLabel(DataViewSchema schema, string name)
    {
        var column = SchemaErrors.Find(schema, name, "label");
        if (!Accepts(column.Type))
            throw SchemaErrors.Mismatch(name, LabelExpectation, column.Type, "label");
        return column;
    }

    /// <summary>The shape of the label column <paramref name="name"/>, checked.</summary>
    public SchemaShape.Column CheckLabel(SchemaShape shape, string name)
    {
        var column = SchemaErrors.Find(shape, name, "label");
        if (!LabelShape(name).IsCompatibleWith(column))
            throw SchemaErrors.Mismatch(name, LabelExpectation, column.GetTypeString(), "label");
        return column;
    }

    private static SchemaShape.Column Scalar(string name, DataViewType type, bool isKey = false, SchemaShape? annotations = null) =>
        new(name, SchemaShape.VectorKind.Scalar, type, isKey, annotations);

    private sealed class BinaryKind : PredictionKind
    {
        public override string LabelExpectation => "Boolean";

        public override SchemaShape.Column LabelShape(string name) => Scalar(name, BooleanDataViewType.Instance);

        public override bool Accepts(DataViewType type) => type.Equals(BooleanDataViewType.Instance);

        public override LabelGetter MakeLabelGetter(DataViewRow row, DataViewSchema.Column column)
        {
            var getter = row.GetGetter<bool>(column);
            bool value = false;
            return (out float label) =>
            {
                getter(ref value);
                label = value ? 1 : 0;
                return true;
            };
        }

        public override IEnumerable<SchemaShape.Column> OutputShapes(SchemaShape.Column label) =>
        [
            Scalar(DefaultColumnNames.Score, NumberDataViewType.Single),
            Scalar(DefaultColumnNames.Probability, NumberDataViewType.Single),
            Scalar(DefaultColumnNames.PredictedLabel, BooleanDataViewType.Instance),
        ];
    }

    private sealed class MulticlassKind : PredictionKind
    {
        public override string LabelExpectation => "a key of UInt32 with a known count (as MapValueToKey produces)";

        public override SchemaShape.Column LabelShape(string name) => Scalar(name, NumberDataViewType.UInt32, isKey: true);

        public override bool Accepts(DataViewType type) => type is KeyDataViewType { Count: > 0 } key && key.RawType == typeof(uint);

        public override LabelGetter MakeLabelGetter(DataViewRow row, DataViewSchema.Column column)
        {
            var getter = row.GetGetter<uint>(column);
            ulong count = ((KeyDataViewType)column.Type).Count;
            uint key = 0;
            return (out float label) =>
            {
                getter(ref key);
                if (key > count)
                    throw new InvalidOperationException(
                        $"Label column '{column.Name}' holds key {key} at row {row.Position}; its type {column.Type} allows keys 1 to {count}.");
                label = key - 1f;
                return key != 0;
            };
        }

        public override IEnumerable<SchemaShape.Column> OutputShapes(SchemaShape.Column label)
        {
            bool hasValues = label.Annotations.TryFindColumn(AnnotationUtils.Kinds.KeyValues, out var values);
            var slotNames = hasValues && values.ItemType is TextDataViewType ? ShapeHelper.Annotations(ShapeHelper.SlotNamesShape()) : null;
            yield return new SchemaShape.Column(DefaultColumnNames.Score, SchemaShape.VectorKind.Vector, NumberDataViewType.Single, false, slotNames);
            yield return Scalar(DefaultColumnNames.PredictedLabel, NumberDataViewType.UInt32, isKey: true, hasValues ? ShapeHelper.Annotations(values) : null);
        }
    }

    private sealed class RegressionKind : PredictionKind
    {
        public override string LabelExpectation => "Single";

        public override SchemaShape.Column LabelShape(string name) => Scalar(name, NumberDataViewType.Single);

        public override bool Accepts(DataViewType type) => type.Equals(NumberDataViewType.Single);

        public override LabelGetter MakeLabelGetter(DataViewRow row, DataViewSchema.Column column)
        {
            var getter = row.GetGetter<float>(column);
            float value = 0;
            return (out float label) =>
            {
                getter(ref value);
                label = value;
                return float.IsFinite(value);
            };
        }

        public override IEnumerable<SchemaShape.Column> OutputShapes(SchemaShape.Column label) =>
            [Scalar(DefaultColumnNames.Score, NumberDataViewType.Single)];
    }
}
