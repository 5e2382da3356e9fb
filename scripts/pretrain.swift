// %% [markdown]
// # The pretrained Fashion-MNIST CNN
//
// Trains the small CNN that notebooks/04-transfer-learning.ipynb starts from, on all 60,000
// Fashion-MNIST training images (Debian's dataset-fashion-mnist), seeded, and saves it with its
// architecture and its test accuracy in the file's metadata. Run by `scripts/pretrain`.
//
// Each training image is shifted by up to 2 pixels in each direction (`randomShift`), a new
// shift every epoch: features that do not depend on where a stroke lies transfer better to
// other images (chapter 4 measures it: the frozen body of this model beats training from
// scratch on 500 digits, the body of the same CNN trained 4 epochs without shifts does not).

// %%
let epochs = 8
let augmentations = [Augmentation.randomShift(pixels: 2)]
let path = environment("TRAINBOOK_PRETRAIN_OUTPUT") ?? "notebooks/models/fashion-mnist-cnn.safetensors"
let data = FashionMNIST()
seed(2026)
let model = Sequential {
    Conv2D(1, 16, kernelSize: 3, padding: .same)
    BatchNorm(16)
    relu
    MaxPool2D(2)
    Conv2D(16, 32, kernelSize: 3, padding: .same)
    BatchNorm(32)
    relu
    MaxPool2D(2)
    Flatten()
    Dense(32 * 7 * 7, 64, activation: relu)
    Dense(64, 10)
}
print(model.summary(inputShape: [1, 1, 28, 28]))

// %%
let history = model.fit(data.train, epochs: epochs, batchSize: 128,
                        optimizer: Adam(learningRate: 3e-3), augmentations: augmentations,
                        schedule: OneCycle(epochs: epochs), verbose: 2)
let accuracy = model.evaluate(data.test)["accuracy"]!
print("test accuracy \(accuracy)")
precondition(accuracy > 0.88, "the pretrained CNN should reach 88 % on the test set")

// %%
model.save(to: path, metadata: [
    "test_accuracy": accuracy,
    "training_data": "Fashion-MNIST, all 60000 training images (Debian dataset-fashion-mnist)",
    "test_data": "Fashion-MNIST, 10000 test images",
    "epochs": epochs,
    "augmentation": "randomShift(pixels: 2)",
    "seed": 2026,
    "made_by": "scripts/pretrain",
])
print("saved \(path)")
